import { z } from 'zod';
import { getPool } from './db/pool';

/**
 * Reading the audit log for the admin page and its CSV export: filters by user, entity type,
 * action and time range, newest first, paged by keyset (at, id), so page 200 costs what page 1 does.
 */
export interface AuditEntryRow {
  id: number;
  at: Date;
  actorId: number | null;
  actorEmail: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: unknown;
  ip: string | null;
}

/** A position in the newest-first order: the (at, id) of an entry. */
export interface AuditCursor {
  at: Date;
  id: number;
}

const optionalText = z
  .string()
  .trim()
  .max(100)
  .transform((v) => v || undefined)
  .optional();

// Dates from the page's date-time inputs, read as UTC; an unparseable one is ignored rather than refused.
const optionalInstant = z
  .string()
  .trim()
  .max(40)
  .optional()
  .transform((v) => {
    if (!v) return undefined;
    const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
    return Number.isNaN(d.getTime()) ? undefined : d;
  });

export const auditFilterSchema = z.object({
  user: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
  entity: optionalText,
  action: optionalText,
  from: optionalInstant,
  to: optionalInstant,
});
export type AuditFilter = { user?: number; entity?: string; action?: string; from?: Date; to?: Date };

/** Filters from a URL's search parameters (first value of each; anything malformed is dropped). */
export function parseAuditFilter(params: Record<string, string | string[] | undefined>): AuditFilter {
  const first = (k: string) => {
    const v = params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const raw = { user: first('user') || undefined, entity: first('entity'), action: first('action'), from: first('from'), to: first('to') };
  const parsed = auditFilterSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

export function encodeCursor(c: AuditCursor): string {
  return `${c.at.toISOString()}_${c.id}`;
}

export function decodeCursor(value: string | string[] | undefined): AuditCursor | null {
  const v = Array.isArray(value) ? value[0] : value;
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)_(\d{1,18})$/.exec(v ?? '');
  if (!match) return null;
  const at = new Date(match[1]!);
  return Number.isNaN(at.getTime()) ? null : { at, id: Number(match[2]) };
}

function whereClause(filter: AuditFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(params.length));
  };
  if (filter.user) add((n) => `a.actor_id = $${n}`, filter.user);
  if (filter.entity) add((n) => `a.entity_type = $${n}`, filter.entity);
  if (filter.action) add((n) => `a.action = $${n}`, filter.action);
  if (filter.from) add((n) => `a.at >= $${n}`, filter.from);
  if (filter.to) add((n) => `a.at < $${n}`, filter.to);
  return conditions.length ? conditions.join(' AND ') : 'true';
}

interface RawRow {
  id: number;
  at: Date;
  actor_id: number | null;
  actor_email: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  details: unknown;
  ip: string | null;
}

const toRow = (r: RawRow): AuditEntryRow => ({
  id: r.id,
  at: r.at,
  actorId: r.actor_id,
  actorEmail: r.actor_email,
  actorName: r.actor_name,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  details: r.details,
  ip: r.ip,
});

export interface AuditPage {
  entries: AuditEntryRow[];
  /** Cursor for the next (older) page, null on the last. */
  older: AuditCursor | null;
  /** Cursor for the previous (newer) page, null on the first. */
  newer: AuditCursor | null;
}

/**
 * One page, newest first. `before` pages towards older entries; `after` towards newer ones (read
 * ascending, then turned around), so both directions use the (at, id) index the same way.
 */
export async function listAuditEntries(filter: AuditFilter, position: { before?: AuditCursor | null; after?: AuditCursor | null } = {}, pageSize = 50): Promise<AuditPage> {
  const params: unknown[] = [];
  const where = whereClause(filter, params);
  const backwards = !position.before && !!position.after;
  const cursor = position.before ?? position.after ?? null;
  let keyset = '';
  if (cursor) {
    params.push(cursor.at, cursor.id);
    keyset = ` AND (a.at, a.id) ${backwards ? '>' : '<'} ($${params.length - 1}::timestamptz, $${params.length}::bigint)`;
  }
  params.push(pageSize + 1);
  const { rows } = await getPool().query<RawRow>(
    `SELECT a.id, a.at, a.actor_id, u.email AS actor_email, u.name AS actor_name, a.action, a.entity_type, a.entity_id, a.details, a.ip
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
      WHERE ${where}${keyset}
      ORDER BY a.at ${backwards ? 'ASC' : 'DESC'}, a.id ${backwards ? 'ASC' : 'DESC'}
      LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize).map(toRow);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const cursorOf = (e: AuditEntryRow | undefined) => (e ? { at: e.at, id: e.id } : null);
  return {
    entries: page,
    // Going back: older entries exist (we came from them); there are newer ones only if the query found more.
    older: backwards ? cursorOf(last) : more ? cursorOf(last) : null,
    newer: backwards ? (more ? cursorOf(first) : null) : cursor ? cursorOf(first) : null,
  };
}

/** Every matching entry, newest first, in batches (the CSV export streams these). */
export async function* auditEntryBatches(filter: AuditFilter, batchSize = 1000): AsyncGenerator<AuditEntryRow[]> {
  let before: AuditCursor | null = null;
  for (;;) {
    const page = await listAuditEntries(filter, { before }, batchSize);
    if (page.entries.length > 0) yield page.entries;
    if (!page.older) return;
    before = page.older;
  }
}

/** What the filter selects offer: the users who appear in the log, the entity types and actions used. */
export async function auditFilterOptions() {
  const pool = getPool();
  const [users, entities, actions] = await Promise.all([
    pool.query<{ id: number; email: string; name: string }>(
      `SELECT u.id, u.email, u.name FROM users u WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.actor_id = u.id) ORDER BY u.email`,
    ),
    pool.query<{ value: string }>(distinctValues('entity_type')),
    pool.query<{ value: string }>(distinctValues('action')),
  ]);
  return { users: users.rows, entityTypes: entities.rows.map((r) => r.value), actions: actions.rows.map((r) => r.value) };
}

/** The distinct values of an indexed column by hopping along its index (a loose index scan), not by reading the whole log. */
function distinctValues(column: 'entity_type' | 'action'): string {
  return `WITH RECURSIVE v AS (
      (SELECT ${column} AS value FROM audit_log ORDER BY ${column} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${column} FROM audit_log WHERE ${column} > v.value ORDER BY ${column} LIMIT 1) FROM v WHERE v.value IS NOT NULL
    ) SELECT value FROM v WHERE value IS NOT NULL`;
}
