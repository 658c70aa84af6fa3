import { z } from 'zod';
import { BUILT_IN_FIELDS, TRAIT_KEY_PATTERN, type TraitDefinition, type ValueType } from '../../rules/fields';

/**
 * The pure half of the profile CSV import: reading the first line (delimiter, header), suggesting a
 * target for each column, inferring a trait type from column statistics, and checking a mapping.
 * Nothing here touches the database; the set-based half is in stage.ts, check.ts and write.ts.
 */

export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;
export const IMPORT_MAX_COLUMNS = 200;
export const MAX_HEADER_LENGTH = 200;
export const MAX_EXTERNAL_ID_LENGTH = 200;

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** The profile columns a CSV column may fill. */
export const PROFILE_FIELDS = ['externalId', 'email', 'firstName', 'lastName', 'country', 'city', 'emailConsent'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export const PROFILE_FIELD_LABELS: Record<ProfileField, string> = {
  externalId: 'External id',
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  country: 'Country',
  city: 'City',
  emailConsent: 'Email consent',
};

export const TRAIT_TYPES = ['text', 'number', 'date', 'boolean'] as const satisfies readonly ValueType[];
export type TraitType = (typeof TRAIT_TYPES)[number];

/**
 * The delimiter of a file from its first line: the most frequent of comma, semicolon and tab outside
 * double quotes (a quoted header such as "a;b" does not count). Ties and a line with none: comma.
 */
export function detectDelimiter(firstLine: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

export function delimiterName(d: string): string {
  return d === ',' ? 'comma' : d === ';' ? 'semicolon' : d === '\t' ? 'tab' : JSON.stringify(d);
}

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER_LIKE = /^-?\d+([.,]\d+)?$/;

/**
 * The header, trimmed, or why the first row cannot be one. A first row that looks like data (an
 * e-mail address, or only numbers) is refused: without column names nothing can be mapped safely.
 */
export function checkHeader(cells: string[]): { ok: true; header: string[] } | { ok: false; message: string } {
  const header = cells.map((c) => c.trim());
  if (header.length === 0 || header.every((h) => h === '')) return { ok: false, message: 'The first row is empty: it must name the columns.' };
  if (header.length > IMPORT_MAX_COLUMNS) return { ok: false, message: `The file has ${header.length} columns; at most ${IMPORT_MAX_COLUMNS} can be imported.` };
  const long = header.findIndex((h) => h.length > MAX_HEADER_LENGTH);
  if (long >= 0) return { ok: false, message: `The name of column ${long + 1} is longer than ${MAX_HEADER_LENGTH} characters: is the first row a header?` };
  const email = header.find((h) => EMAIL_LIKE.test(h));
  if (email) return { ok: false, message: `The first row holds an e-mail address ("${email}"): the first row must name the columns.` };
  if (header.filter((h) => h !== '').every((h) => NUMBER_LIKE.test(h))) return { ok: false, message: 'The first row holds only numbers: the first row must name the columns.' };
  return { ok: true, header: header.map((h, i) => h || `Column ${i + 1}`) };
}

const normalise = (h: string) => h.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]/g, '');

const FIELD_ALIASES: Record<string, ProfileField> = {
  externalid: 'externalId',
  id: 'externalId',
  customerid: 'externalId',
  clientid: 'externalId',
  userid: 'externalId',
  contactid: 'externalId',
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  firstname: 'firstName',
  givenname: 'firstName',
  forename: 'firstName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  country: 'country',
  city: 'city',
  town: 'city',
  emailconsent: 'emailConsent',
  consent: 'emailConsent',
  optin: 'emailConsent',
  emailoptin: 'emailConsent',
  newsletter: 'emailConsent',
};

const RESERVED_KEYS = new Set(BUILT_IN_FIELDS.map((f) => f.name.toLowerCase()));

/** A trait key from a column name: lower-case letters, digits and _, starting with a letter. */
export function traitKeyFromHeader(header: string, index: number): string {
  let key = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!key) key = `column_${index + 1}`;
  if (!/^[a-z]/.test(key)) key = `c_${key}`;
  key = key.slice(0, 63).replace(/_+$/, '');
  return RESERVED_KEYS.has(key.toLowerCase()) ? `${key.slice(0, 57)}_trait` : key;
}

/** A label from a column name: as written, with a capital first letter and spaces for underscores. */
export function traitLabelFromHeader(header: string): string {
  const label = header.replace(/_+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** Per column, over every staged row: how many cells are filled and how many read as each type. */
export interface ColumnStats {
  filled: number;
  numbers: number;
  /** Numbers written with a leading zero ("007", "01234"): codes, whose zeros a number would lose. */
  leadingZeros: number;
  /** Cells that are exactly true/false/yes/no (any case). */
  yesNo: number;
  dates: number;
  emails: number;
}

/**
 * The type a new trait gets from its column: number when every filled cell is a number (and none
 * has a leading zero, which a number would drop), boolean when every one is yes/no or true/false,
 * date when every one is a day or an ISO time, otherwise text. An empty column is text.
 */
export function inferTraitType(s: ColumnStats): TraitType {
  if (s.filled === 0) return 'text';
  if (s.numbers === s.filled && s.leadingZeros === 0) return 'number';
  if (s.yesNo === s.filled) return 'boolean';
  if (s.dates === s.filled) return 'date';
  return 'text';
}

export const columnTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('skip') }),
  z.object({ kind: z.literal('field'), field: z.enum(PROFILE_FIELDS) }),
  z.object({
    kind: z.literal('trait'),
    key: z.string().trim().max(63),
    label: z.string().trim().max(80),
    type: z.enum(TRAIT_TYPES),
  }),
]);
export type ColumnTarget = z.infer<typeof columnTargetSchema>;

export const ROW_ID_PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

export const mappingSchema = z.object({
  columns: z.array(columnTargetSchema).max(IMPORT_MAX_COLUMNS),
  /** For a file without an id column: profile ids `<prefix>-<data row number>` (1 for the row below the header). */
  rowIds: z.object({ prefix: z.string().trim() }).nullable().default(null),
});
export type ImportMapping = z.infer<typeof mappingSchema>;

/** How rows find their profile: an id column, generated row ids, or an e-mail column. */
export type ImportKey = { by: 'externalId'; column: number } | { by: 'rowNumber'; prefix: string } | { by: 'email'; column: number };

export interface ResolvedMapping {
  key: ImportKey;
  /** 1-based column index per profile field mapped. */
  fields: Partial<Record<ProfileField, number>>;
  /** Trait columns: 1-based index, key, label, type, and whether the trait is new (to register). */
  traits: { column: number; key: string; label: string; type: TraitType; isNew: boolean }[];
}

export function suggestTarget(header: string, index: number, stats: ColumnStats, registered: readonly TraitDefinition[], taken: Set<ProfileField>): ColumnTarget {
  const field = FIELD_ALIASES[normalise(header)];
  if (field && !taken.has(field)) {
    taken.add(field);
    return { kind: 'field', field };
  }
  if (stats.filled === 0) return { kind: 'skip' };
  const key = traitKeyFromHeader(header, index);
  const known = registered.find((t) => t.key.toLowerCase() === key.toLowerCase());
  if (known) return { kind: 'trait', key: known.key, label: known.label, type: known.type };
  return { kind: 'trait', key, label: traitLabelFromHeader(header), type: inferTraitType(stats) };
}

/** A first mapping for a file: fields by column name, other filled columns as traits of their inferred type. */
export function suggestMapping(header: string[], stats: ColumnStats[], registered: readonly TraitDefinition[]): ImportMapping {
  const taken = new Set<ProfileField>();
  const columns = header.map((h, i) => suggestTarget(h, i, stats[i] ?? EMPTY_STATS, registered, taken));
  const hasKey = columns.some((c) => c.kind === 'field' && (c.field === 'externalId' || c.field === 'email'));
  return { columns, rowIds: hasKey ? null : { prefix: '' } };
}

export const EMPTY_STATS: ColumnStats = { filled: 0, numbers: 0, leadingZeros: 0, yesNo: 0, dates: 0, emails: 0 };

/**
 * Checks a mapping against the file's header and the registered traits; returns every problem
 * (in words, naming the column) or the resolved mapping. Trait keys and labels follow the
 * registry's rules; a registered trait keeps its type (rules rely on it).
 */
export function resolveMapping(mapping: ImportMapping, header: string[], registered: readonly TraitDefinition[]): { ok: true; mapping: ResolvedMapping } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (mapping.columns.length !== header.length) {
    return { ok: false, problems: [`The mapping has ${mapping.columns.length} columns, the file ${header.length}.`] };
  }
  const name = (i: number) => `column ${i + 1} ("${header[i]}")`;
  const fields: Partial<Record<ProfileField, number>> = {};
  const traits: ResolvedMapping['traits'] = [];
  const keys = new Map<string, number>();
  mapping.columns.forEach((target, i) => {
    if (target.kind === 'field') {
      const earlier = fields[target.field];
      if (earlier !== undefined) problems.push(`${name(i)} and ${name(earlier - 1)} are both mapped to ${PROFILE_FIELD_LABELS[target.field]}.`);
      else fields[target.field] = i + 1;
    } else if (target.kind === 'trait') {
      const key = target.key;
      if (!TRAIT_KEY_PATTERN.test(key)) {
        problems.push(`${name(i)}: the trait key "${key}" must start with a letter and have only letters, digits and _ (at most 63).`);
        return;
      }
      if (RESERVED_KEYS.has(key.toLowerCase())) {
        problems.push(`${name(i)}: "${key}" is a built-in field; choose another trait key.`);
        return;
      }
      const earlier = keys.get(key.toLowerCase());
      if (earlier !== undefined) {
        problems.push(`${name(i)} and ${name(earlier - 1)} are both mapped to the trait "${key}".`);
        return;
      }
      keys.set(key.toLowerCase(), i + 1);
      const known = registered.find((t) => t.key === key) ?? registered.find((t) => t.key.toLowerCase() === key.toLowerCase());
      if (known && known.key !== key) {
        problems.push(`${name(i)}: a trait "${known.key}" is registered; use that spelling or another key.`);
        return;
      }
      if (known && known.type !== target.type) {
        problems.push(`${name(i)}: the trait "${key}" is registered as ${known.type}; import it as ${known.type} or choose another key.`);
        return;
      }
      const label = known ? known.label : target.label;
      if (!label) {
        problems.push(`${name(i)}: give the trait "${key}" a label.`);
        return;
      }
      traits.push({ column: i + 1, key, label, type: target.type, isNew: !known });
    }
  });
  let key: ImportKey | null = null;
  if (mapping.rowIds) {
    const prefix = mapping.rowIds.prefix;
    if (fields.externalId !== undefined) problems.push('Choose either an external id column or row numbers as ids, not both.');
    else if (!ROW_ID_PREFIX_PATTERN.test(prefix)) problems.push('The prefix of row ids needs 1 to 40 letters, digits, "_", "." or "-", starting with a letter or digit.');
    else key = { by: 'rowNumber', prefix };
  } else if (fields.externalId !== undefined) key = { by: 'externalId', column: fields.externalId };
  else if (fields.email !== undefined) key = { by: 'email', column: fields.email };
  else problems.push('Map a column to External id or Email, so that each row finds its profile (or use row numbers as ids).');
  if (traits.length === 0 && Object.keys(fields).every((f) => f === 'externalId' || (f === 'email' && key?.by === 'email'))) {
    problems.push('Map at least one column to a field or a trait besides the key.');
  }
  if (problems.length || !key) return { ok: false, problems };
  return { ok: true, mapping: { key, fields, traits } };
}

/** A row's generated profile id: `<prefix>-<n>`, n = 1 for the first row below the header. */
export function rowId(prefix: string, rowNo: number): string {
  return `${prefix}-${rowNo - 1}`;
}
