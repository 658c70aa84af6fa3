import { getPool, type Queryable } from '../../db/pool';
import { MAX_EXTERNAL_ID_LENGTH, PROFILE_FIELD_LABELS, type ResolvedMapping, type TraitType } from './mapping';

/**
 * The validation report of a staged file under a mapping, before anything is written: set-based
 * queries over the staged rows (never a loop over rows in JavaScript), each problem with its count
 * and the first rows where it occurs (row numbers as a spreadsheet shows them: the header is row 1).
 */
export const EXAMPLES_PER_PROBLEM = 20;

export type ProblemKind = 'columnCount' | 'wrongType' | 'badEmail' | 'idTooLong' | 'missingKey' | 'duplicateKey' | 'duplicateEmail' | 'emailTaken' | 'idTaken';

export interface ImportProblem {
  kind: ProblemKind;
  /** The column's header, when the problem is about one column. */
  column: string | null;
  message: string;
  count: number;
  examples: { row: number; value?: string; firstRow?: number }[];
}

export interface CheckReport {
  rows: number;
  key: { by: ResolvedMapping['key']['by']; column: string | null; prefix: string | null };
  /** Rows whose profile exists already (they are updated), and rows that create one. */
  matched: number;
  created: number;
  newTraits: { key: string; label: string; type: TraitType }[];
  problems: ImportProblem[];
  ok: boolean;
}

/**
 * The parameters every import statement shares, in this order:
 * $1 import id, $2 key kind, $3 key column, $4 row id prefix, $5 e-mail column (null when unmapped).
 * A column that is not mapped is NULL, and cells[NULL] is NULL: the SQL itself is fixed.
 */
export function keyParams(id: number, m: ResolvedMapping): unknown[] {
  const key = m.key;
  return [id, key.by, key.by === 'rowNumber' ? null : key.column, key.by === 'rowNumber' ? key.prefix : null, m.fields.email ?? null];
}

/** Each staged row with its profile key (NULL when missing) and its e-mail (NULL when empty or not an address). */
const KEYED_ROWS = `
  keyed AS (
    SELECT r.row_no, r.cells,
           CASE $2::text
             WHEN 'externalId' THEN NULLIF(btrim(r.cells[$3::int], E' \\t\\r\\n'), '')
             WHEN 'email' THEN tagwise_import_value('email', r.cells[$3::int]) #>> '{}'
             ELSE $4::text || '-' || (r.row_no - 1)
           END AS key,
           tagwise_import_value('email', r.cells[$5::int]) #>> '{}' AS email
      FROM profile_import_rows r
     WHERE r.import_id = $1
  )`;

/**
 * `keyed` plus `resolved`: each row with the profile its key names, if any. A key names a profile by
 * its own column (external_id or email) or as one of its recorded identities (a user id or e-mail of
 * a profile merged into it by the tracking API, docs/tracking.md), as the tracking API looks them up.
 * Two fixed variants, so that each join uses the unique index of its column.
 */
export function resolvedRows(by: ResolvedMapping['key']['by']): string {
  const [column, kind] = by === 'email' ? ['email', 'email'] : ['external_id', 'user'];
  return `${KEYED_ROWS},
  resolved AS (
    SELECT k.*, coalesce(p.id, pi.profile_id) AS profile_id
      FROM keyed k
      LEFT JOIN profiles p ON p.${column} = k.key
      LEFT JOIN profile_identities pi ON pi.kind = '${kind}' AND pi.value = k.key
  )`;
}

const TYPE_WORDS: Record<string, string> = { number: 'numbers', boolean: 'yes/no (or true/false) values', date: 'dates (YYYY-MM-DD or an ISO 8601 time with a zone)' };

export async function checkImport(id: number, header: string[], m: ResolvedMapping, db: Queryable = getPool()): Promise<CheckReport> {
  const params = keyParams(id, m);
  const problems: ImportProblem[] = [];
  const columnName = (col: number | null | undefined) => (col ? header[col - 1] ?? `column ${col}` : null);

  // Rows with more or fewer cells than the header: their cells would land in the wrong fields.
  const counts = await db.query<{ row_no: number; n: number; total: number }>(
    `SELECT row_no, n, total::int FROM (
       SELECT row_no, coalesce(array_length(cells, 1), 0) AS n, count(*) OVER () AS total
         FROM profile_import_rows WHERE import_id = $1 AND coalesce(array_length(cells, 1), 0) <> $2
     ) bad ORDER BY row_no LIMIT $3`,
    [id, header.length, EXAMPLES_PER_PROBLEM],
  );
  if (counts.rows[0]) {
    problems.push({
      kind: 'columnCount',
      column: null,
      message: `${plural(counts.rows[0].total, 'row has', 'rows have')} a number of values other than the header's ${header.length}.`,
      count: counts.rows[0].total,
      examples: counts.rows.map((r) => ({ row: r.row_no, value: `${r.n} values` })),
    });
  }

  // Cells that do not read as the column's type (one scan of rows × checked columns).
  const checks: { col: number; kind: string }[] = [
    ...m.traits.filter((t) => t.type !== 'text').map((t) => ({ col: t.column, kind: t.type })),
    ...(m.fields.email !== undefined ? [{ col: m.fields.email, kind: 'email' }] : []),
    ...(m.fields.emailConsent !== undefined ? [{ col: m.fields.emailConsent, kind: 'boolean' }] : []),
    ...(m.fields.externalId !== undefined ? [{ col: m.fields.externalId, kind: 'externalId' }] : []),
  ];
  if (checks.length) {
    const bad = await db.query<{ col: number; kind: string; total: number; rows: number[]; vals: string[] }>(
      `WITH checks AS (SELECT * FROM unnest($2::int[], $3::text[]) AS k(col, kind)),
       bad AS (
         SELECT k.col, k.kind, r.row_no, r.cells[k.col] AS value,
                row_number() OVER (PARTITION BY k.col ORDER BY r.row_no) AS nth,
                count(*) OVER (PARTITION BY k.col) AS total
           FROM profile_import_rows r CROSS JOIN checks k
          WHERE r.import_id = $1
            AND NULLIF(btrim(r.cells[k.col], E' \\t\\r\\n'), '') IS NOT NULL
            AND CASE WHEN k.kind = 'externalId' THEN length(btrim(r.cells[k.col], E' \\t\\r\\n')) > $4
                     ELSE tagwise_import_value(k.kind, r.cells[k.col]) IS NULL END
       )
       SELECT col, kind, total::int, array_agg(row_no ORDER BY row_no) AS rows, array_agg(left(value, 100) ORDER BY row_no) AS vals
         FROM bad WHERE nth <= $5 GROUP BY col, kind, total ORDER BY col`,
      [id, checks.map((c) => c.col), checks.map((c) => c.kind), MAX_EXTERNAL_ID_LENGTH, EXAMPLES_PER_PROBLEM],
    );
    for (const b of bad.rows) {
      const column = columnName(b.col);
      const examples = b.rows.map((row, i) => ({ row, value: b.vals[i] ?? '' }));
      if (b.kind === 'email') problems.push({ kind: 'badEmail', column, message: `"${column}": ${plural(b.total, 'value is not an e-mail address', 'values are not e-mail addresses')}.`, count: b.total, examples });
      else if (b.kind === 'externalId') problems.push({ kind: 'idTooLong', column, message: `"${column}": ${plural(b.total, 'id is', 'ids are')} longer than ${MAX_EXTERNAL_ID_LENGTH} characters.`, count: b.total, examples });
      else {
        const what = m.fields.emailConsent === b.col ? `${PROFILE_FIELD_LABELS.emailConsent} takes ${TYPE_WORDS.boolean}` : `the trait is ${b.kind}: it takes ${TYPE_WORDS[b.kind] ?? b.kind}`;
        problems.push({ kind: 'wrongType', column, message: `"${column}": ${plural(b.total, 'value does', 'values do')} not fit (${what}).`, count: b.total, examples });
      }
    }
  }

  // Keys: missing, repeated within the file; and the profiles they match.
  const keys = await db.query<{ kind: 'missingKey' | 'duplicateKey'; total: number; rows: number[]; vals: (string | null)[]; firsts: number[] }>(
    // Two rows for one profile: the same key, or two keys of one profile (an id merged into another).
    `WITH ${resolvedRows(m.key.by)},
     ranked AS (SELECT row_no, key, min(row_no) OVER (PARTITION BY coalesce('p' || profile_id, 'k' || key)) AS first_row FROM resolved),
     bad AS (
       SELECT CASE WHEN key IS NULL THEN 'missingKey' ELSE 'duplicateKey' END AS kind, row_no, key, first_row
         FROM ranked WHERE key IS NULL OR row_no > first_row
     ),
     numbered AS (SELECT *, row_number() OVER (PARTITION BY kind ORDER BY row_no) AS nth, count(*) OVER (PARTITION BY kind) AS total FROM bad)
     SELECT kind, total::int, array_agg(row_no ORDER BY row_no) AS rows, array_agg(left(key, 100) ORDER BY row_no) AS vals, array_agg(first_row ORDER BY row_no) AS firsts
       FROM numbered WHERE nth <= $6 GROUP BY kind, total ORDER BY kind DESC`,
    [...params, EXAMPLES_PER_PROBLEM],
  );
  const keyColumn = m.key.by === 'rowNumber' ? null : columnName(m.key.column);
  for (const k of keys.rows) {
    if (k.kind === 'missingKey') {
      problems.push({
        kind: 'missingKey',
        column: keyColumn,
        message: `${plural(k.total, 'row has', 'rows have')} no ${m.key.by === 'email' ? 'e-mail' : 'external id'} in "${keyColumn}", so no profile to write to.`,
        count: k.total,
        examples: k.rows.map((row) => ({ row })),
      });
    } else {
      problems.push({
        kind: 'duplicateKey',
        column: keyColumn,
        message: `${plural(k.total, 'row names', 'rows name')} the same profile as an earlier row (the same ${m.key.by === 'email' ? 'e-mail' : 'id'}, or one merged into it): each profile may appear once in a file.`,
        count: k.total,
        examples: k.rows.map((row, i) => ({ row, value: k.vals[i] ?? '', firstRow: k.firsts[i] })),
      });
    }
  }

  if (m.fields.email !== undefined && m.key.by !== 'email') {
    // An e-mail belongs to one profile: not twice in the file, and not to a profile with another id.
    const emails = await db.query<{ kind: 'duplicateEmail' | 'emailTaken'; total: number; rows: number[]; vals: string[]; firsts: (number | null)[] }>(
      `WITH ${resolvedRows(m.key.by)},
       dup AS (
         SELECT 'duplicateEmail' AS kind, row_no, email, first_row FROM (
           SELECT row_no, email, min(row_no) OVER (PARTITION BY email) AS first_row FROM resolved WHERE email IS NOT NULL AND key IS NOT NULL
         ) e WHERE row_no > first_row
       ),
       taken AS (
         SELECT 'emailTaken' AS kind, r.row_no, r.email, NULL::int AS first_row
           FROM resolved r
          WHERE r.key IS NOT NULL AND r.email IS NOT NULL
            AND (EXISTS (SELECT 1 FROM profiles p WHERE p.email = r.email AND p.id IS DISTINCT FROM r.profile_id)
                 OR EXISTS (SELECT 1 FROM profile_identities pi WHERE pi.kind = 'email' AND pi.value = r.email AND pi.profile_id IS DISTINCT FROM r.profile_id))
       ),
       bad AS (SELECT * FROM dup UNION ALL SELECT * FROM taken),
       numbered AS (SELECT *, row_number() OVER (PARTITION BY kind ORDER BY row_no) AS nth, count(*) OVER (PARTITION BY kind) AS total FROM bad)
       SELECT kind, total::int, array_agg(row_no ORDER BY row_no) AS rows, array_agg(email ORDER BY row_no) AS vals, array_agg(first_row ORDER BY row_no) AS firsts
         FROM numbered WHERE nth <= $6 GROUP BY kind, total ORDER BY kind`,
      [...params, EXAMPLES_PER_PROBLEM],
    );
    const column = columnName(m.fields.email);
    for (const e of emails.rows) {
      if (e.kind === 'duplicateEmail') {
        problems.push({ kind: 'duplicateEmail', column, message: `"${column}": ${plural(e.total, 'e-mail appears', 'e-mails appear')} on an earlier row with another id.`, count: e.total, examples: e.rows.map((row, i) => ({ row, value: e.vals[i]!, firstRow: e.firsts[i] ?? undefined })) });
      } else {
        problems.push({ kind: 'emailTaken', column, message: `"${column}": ${plural(e.total, 'e-mail belongs', 'e-mails belong')} to another profile already.`, count: e.total, examples: e.rows.map((row, i) => ({ row, value: e.vals[i]! })) });
      }
    }
  }

  if (m.key.by === 'email') {
    // New profiles keyed by e-mail take the e-mail as their external id: it must not be another profile's id.
    const taken = await db.query<{ total: number; rows: number[]; vals: string[] }>(
      `WITH ${resolvedRows('email')},
       bad AS (
         SELECT r.row_no, r.key, row_number() OVER (ORDER BY r.row_no) AS nth, count(*) OVER () AS total
           FROM resolved r
          WHERE r.profile_id IS NULL
            AND (EXISTS (SELECT 1 FROM profiles q WHERE q.external_id = r.key)
                 OR EXISTS (SELECT 1 FROM profile_identities qi WHERE qi.kind = 'user' AND qi.value = r.key))
       )
       SELECT total::int, array_agg(row_no ORDER BY row_no) AS rows, array_agg(key ORDER BY row_no) AS vals FROM bad WHERE nth <= $6 GROUP BY total`,
      [...params, EXAMPLES_PER_PROBLEM],
    );
    const t = taken.rows[0];
    if (t) problems.push({ kind: 'idTaken', column: keyColumn, message: `${plural(t.total, 'new profile', 'new profiles')} would take an e-mail as external id that another profile has as its id.`, count: t.total, examples: t.rows.map((row, i) => ({ row, value: t.vals[i]! })) });
  }

  const matched = await db.query<{ rows: number; matched: number }>(
    `WITH ${resolvedRows(m.key.by)} SELECT count(*)::int AS rows, count(profile_id)::int AS matched FROM resolved`,
    params,
  );
  const rows = matched.rows[0]?.rows ?? 0;
  const matchedRows = matched.rows[0]?.matched ?? 0;
  return {
    rows,
    key: { by: m.key.by, column: keyColumn, prefix: m.key.by === 'rowNumber' ? m.key.prefix : null },
    matched: matchedRows,
    created: rows - matchedRows,
    newTraits: m.traits.filter((t) => t.isNew).map((t) => ({ key: t.key, label: t.label, type: t.type })),
    problems,
    ok: problems.length === 0,
  };
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
