import { findField } from '../rules/fields';

/**
 * The allow-list of columns an audience can export. Each column's SQL renders the cell as TEXT
 * over the profile row `p` at freeze time, so a snapshot stores exactly the bytes its CSV will
 * hold and never depends on how profiles look later. NULL stays NULL and becomes an empty cell.
 *
 * Rendering: timestamps as ISO 8601 in UTC with milliseconds and a 'Z'; numbers as plain decimal
 * text (no grouping, '.' as decimal point); booleans as true/false.
 */
export type ColumnKind = 'text' | 'number' | 'timestamp' | 'boolean';

export interface ExportColumn {
  key: string;
  header: string;
  label: string;
  kind: ColumnKind;
  sql: string;
}

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

function render(kind: ColumnKind, source: string): string {
  switch (kind) {
    case 'timestamp':
      return `to_char(${source} AT TIME ZONE 'UTC', ${ISO_UTC})`;
    case 'text':
      return `${source}::text`;
    default:
      return `(${source})::text`; // int, numeric and boolean casts give plain digits and true/false
  }
}

/** The same expression the rule builder filters on, so "Total spent > 100" and the exported cell agree. */
function column(key: string, header: string, kind: ColumnKind): ExportColumn {
  const field = findField(key);
  if (!field?.sql) throw new Error(`export column ${key} has no rule field with SQL`);
  return { key, header, label: field.label, kind, sql: render(kind, field.sql) };
}

/**
 * Profiles have no phone or postal code column: these read the custom traits `phone` and
 * `postalCode` when a profile has them (the ingestion API and imports may set any trait).
 */
function traitColumn(key: string, trait: string, header: string, label: string): ExportColumn {
  return { key, header, label, kind: 'text', sql: `(p.traits ->> '${trait}')` };
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  column('externalId', 'external_id', 'text'),
  column('email', 'email', 'text'),
  traitColumn('phone', 'phone', 'phone', 'Phone (trait "phone")'),
  column('firstName', 'first_name', 'text'),
  column('lastName', 'last_name', 'text'),
  column('country', 'country', 'text'),
  traitColumn('postalCode', 'postalCode', 'postal_code', 'Postal code (trait "postalCode")'),
  column('city', 'city', 'text'),
  column('createdAt', 'created_at', 'timestamp'),
  column('emailConsent', 'email_consent', 'boolean'),
  column('orderCount', 'order_count', 'number'),
  column('totalSpent', 'total_spent', 'number'),
  column('averageOrderValue', 'average_order_value', 'number'),
  column('cancellationCount', 'cancellation_count', 'number'),
  column('firstOrderAt', 'first_order_at', 'timestamp'),
  column('lastOrderAt', 'last_order_at', 'timestamp'),
  column('lastActivityAt', 'last_activity_at', 'timestamp'),
];

export const DEFAULT_COLUMNS = ['externalId', 'email', 'country', 'orderCount', 'totalSpent', 'lastOrderAt'] as const;

const BY_KEY = new Map(EXPORT_COLUMNS.map((c) => [c.key, c]));

export function findColumn(key: string): ExportColumn | undefined {
  return BY_KEY.get(key);
}

export type ColumnsResult = { ok: true; columns: ExportColumn[] } | { ok: false; message: string };

/** Checks a stored or submitted column list: a non-empty array of known keys, each at most once. */
export function parseColumns(input: unknown): ColumnsResult {
  if (!Array.isArray(input) || input.length === 0) return { ok: false, message: 'choose at least one column' };
  const columns: ExportColumn[] = [];
  const seen = new Set<string>();
  for (const key of input) {
    const found = typeof key === 'string' ? findColumn(key) : undefined;
    if (!found) return { ok: false, message: `unknown column "${String(key).slice(0, 40)}"` };
    if (seen.has(found.key)) return { ok: false, message: `column "${found.key}" is chosen twice` };
    seen.add(found.key);
    columns.push(found);
  }
  return { ok: true, columns };
}

/** `ARRAY[...]` of the columns' cell expressions, in order: the cells of one snapshot row. */
export function cellsSql(columns: readonly ExportColumn[]): string {
  return `ARRAY[${columns.map((c) => c.sql).join(', ')}]::text[]`;
}
