import type { Queryable } from '../../db/pool';
import { keyParams, resolvedRows } from './check';
import type { ResolvedMapping } from './mapping';

/**
 * The write of a checked import: staged rows become profile upserts in two set-based statements
 * (update the profiles their key names, by column or recorded identity; insert the others), run
 * inside the caller's transaction.
 * Empty cells leave a value as it is; a value is written only where it differs (IS DISTINCT FROM),
 * so importing the same file twice changes nothing the second time.
 */
export interface WriteCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * $6..$10: first name, last name, country, city, email consent columns; $11..$13: trait columns,
 * keys and types. Unmapped columns are NULL, so the statements are fixed text.
 */
const typedRows = (by: ResolvedMapping['key']['by']) => `${resolvedRows(by)},
  typed AS (
    SELECT k.row_no, k.key, k.email, k.profile_id,
           tagwise_import_value('text', k.cells[$6::int]) #>> '{}' AS first_name,
           tagwise_import_value('text', k.cells[$7::int]) #>> '{}' AS last_name,
           tagwise_import_value('text', k.cells[$8::int]) #>> '{}' AS country,
           tagwise_import_value('text', k.cells[$9::int]) #>> '{}' AS city,
           (tagwise_import_value('boolean', k.cells[$10::int]))::boolean AS email_consent,
           coalesce((SELECT jsonb_object_agg(t.key, v.value)
                       FROM unnest($11::int[], $12::text[], $13::text[]) AS t(col, key, type)
                       CROSS JOIN LATERAL (SELECT tagwise_import_value(t.type, k.cells[t.col]) AS value) v
                      WHERE v.value IS NOT NULL), '{}'::jsonb) AS traits
      FROM resolved k
  )`;

function typedParams(id: number, m: ResolvedMapping): unknown[] {
  const f = m.fields;
  return [
    ...keyParams(id, m),
    f.firstName ?? null,
    f.lastName ?? null,
    f.country ?? null,
    f.city ?? null,
    f.emailConsent ?? null,
    m.traits.map((t) => t.column),
    m.traits.map((t) => t.key),
    m.traits.map((t) => t.type),
  ];
}

const NEW_VALUES = `coalesce(t.email, p.email), coalesce(t.first_name, p.first_name), coalesce(t.last_name, p.last_name),
                    coalesce(t.country, p.country), coalesce(t.city, p.city), coalesce(t.email_consent, p.email_consent), p.traits || t.traits`;

/** Writes the staged rows of import `id` into profiles; the caller holds the transaction. */
export async function writeProfiles(client: Queryable, id: number, m: ResolvedMapping): Promise<WriteCounts> {
  const params = typedParams(id, m);
  const updated = await client.query(
    `WITH ${typedRows(m.key.by)}
     UPDATE profiles p
        SET (email, first_name, last_name, country, city, email_consent, traits) = (${NEW_VALUES}), updated_at = now()
       FROM typed t
      WHERE p.id = t.profile_id
        AND (p.email, p.first_name, p.last_name, p.country, p.city, p.email_consent, p.traits) IS DISTINCT FROM (${NEW_VALUES})`,
    params,
  );
  // No ON CONFLICT: the check ruled conflicts out, so one here means the data changed meanwhile, and
  // the whole import must fail rather than write part of the file.
  const created = await client.query(
    `WITH ${typedRows(m.key.by)}
     INSERT INTO profiles (external_id, email, first_name, last_name, country, city, email_consent, traits, created_at, updated_at)
     SELECT t.key, t.email, t.first_name, t.last_name, t.country, t.city, t.email_consent, t.traits, now(), now()
       FROM typed t
      WHERE t.profile_id IS NULL
      ORDER BY t.row_no`,
    params,
  );
  const total = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM profile_import_rows WHERE import_id = $1`, [id]);
  const n = total.rows[0]?.n ?? 0;
  const c = created.rowCount ?? 0;
  const u = updated.rowCount ?? 0;
  return { created: c, updated: u, unchanged: n - c - u };
}
