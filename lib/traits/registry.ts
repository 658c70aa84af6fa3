import { z } from 'zod';
import { audit } from '../audit';
import { ExpectedError, NotFoundError } from '../auth/errors';
import { getPool, withTransaction, type Queryable } from '../db/pool';
import { BUILT_IN_FIELDS, TRAIT_KEY_PATTERN, TRAIT_PREFIX, createCatalog, type FieldCatalog, type TraitDefinition, type ValueType } from '../rules/fields';
import { TRAIT_TYPES } from './types';

/**
 * The registry of custom traits: which keys of profiles.traits rules may use, and the type their
 * values are read as (docs/rules.md, "Custom traits"). A trait's type cannot change, nor can it be
 * removed, while a segment or audience refers to it: that would change what saved rules mean.
 */
export { TRAIT_TYPES };

const RESERVED = new Set(BUILT_IN_FIELDS.map((f) => f.name.toLowerCase()));

export const traitInputSchema = z.object({
  key: z
    .string()
    .trim()
    .regex(TRAIT_KEY_PATTERN, 'A trait key starts with a letter and has only letters, digits and _ (at most 63).')
    .refine((k) => !RESERVED.has(k.toLowerCase()), 'That key is a built-in field; choose another.'),
  label: z.string().trim().min(1, 'Give the trait a label.').max(80, 'Keep the label under 80 characters.'),
  type: z.enum(TRAIT_TYPES, { message: 'The type must be text, number, date or boolean.' }),
});
export type TraitInput = z.input<typeof traitInputSchema>;

export async function listTraitDefinitions(db: Queryable = getPool(), options: { lockShared?: boolean } = {}): Promise<TraitDefinition[]> {
  const lock = options.lockShared ? ' FOR SHARE' : '';
  const { rows } = await db.query<TraitDefinition>(`SELECT key, label, type::text AS type FROM trait_definitions ORDER BY lower(label), key${lock}`);
  return rows;
}

/**
 * The fields rules may use now: the built-in ones and every registered trait. With `lockShared`
 * (inside a transaction that saves rules), the traits cannot be removed or retyped until it ends,
 * so rules are never saved against a trait that a concurrent removal has just taken away.
 */
export async function loadFieldCatalog(db: Queryable = getPool(), options: { lockShared?: boolean } = {}): Promise<FieldCatalog> {
  return createCatalog(await listTraitDefinitions(db, options));
}

function parseInput(input: TraitInput) {
  const parsed = traitInputSchema.safeParse(input);
  if (!parsed.success) throw new ExpectedError(parsed.error.issues.map((i) => i.message).join(' '), 422);
  return parsed.data;
}

/** Registers a trait. With `client`, inside the caller's transaction (an import registers its new traits with the data). */
export async function defineTrait(input: TraitInput, actorId: number | null, client?: Queryable): Promise<TraitDefinition> {
  const data = parseInput(input);
  const run = async (client: Queryable) => {
    const inserted = await client.query(
      `INSERT INTO trait_definitions (key, label, type, created_by_id) VALUES ($1, $2, $3::"TraitType", $4) ON CONFLICT (key) DO NOTHING`,
      [data.key, data.label, data.type, actorId],
    );
    if (inserted.rowCount === 0) throw new ExpectedError(`A trait with the key "${data.key}" is already registered.`, 409);
    await audit({ actorId, action: 'trait.create', entityType: 'trait', entityId: data.key, details: { after: data } }, client);
    return data;
  };
  return client ? run(client) : withTransaction(run);
}

/** Relabels a trait, or changes its type while nothing refers to it. */
export async function updateTrait(input: TraitInput, actorId: number | null): Promise<TraitDefinition> {
  const data = parseInput(input);
  return withTransaction(async (client) => {
    const before = await lockTrait(client, data.key);
    if (before.type !== data.type) await assertUnused(client, data.key, `change the type of "${data.key}"`);
    await client.query(`UPDATE trait_definitions SET label = $2, type = $3::"TraitType" WHERE key = $1`, [data.key, data.label, data.type]);
    await audit({ actorId, action: 'trait.update', entityType: 'trait', entityId: data.key, details: { before, after: data } }, client);
    return data;
  });
}

/** Unregisters a trait; the values stay in the profiles. */
export async function deleteTrait(key: string, actorId: number | null): Promise<void> {
  await withTransaction(async (client) => {
    const before = await lockTrait(client, key);
    await assertUnused(client, key, `remove "${key}"`);
    await client.query(`DELETE FROM trait_definitions WHERE key = $1`, [key]);
    await audit({ actorId, action: 'trait.delete', entityType: 'trait', entityId: key, details: { before } }, client);
  });
}

async function lockTrait(client: Queryable, key: string): Promise<TraitDefinition> {
  const { rows } = await client.query<TraitDefinition>(`SELECT key, label, type::text AS type FROM trait_definitions WHERE key = $1 FOR UPDATE`, [key]);
  if (!rows[0]) throw new NotFoundError('The trait');
  return rows[0];
}

/** Segments and audiences whose rules name the trait's field. */
export async function traitReferences(db: Queryable, key: string): Promise<{ kind: 'segment' | 'audience'; id: number; name: string }[]> {
  const needle = JSON.stringify(`${TRAIT_PREFIX}${key}`);
  const { rows } = await db.query<{ kind: 'segment' | 'audience'; id: number; name: string }>(
    `SELECT 'segment' AS kind, id, name FROM segments WHERE strpos(rules::text, $1) > 0
     UNION ALL
     SELECT 'audience', id, name FROM audiences WHERE strpos(rules::text, $1) > 0
     ORDER BY 1, 2`,
    [needle],
  );
  return rows;
}

async function assertUnused(client: Queryable, key: string, what: string): Promise<void> {
  const refs = await traitReferences(client, key);
  if (refs.length === 0) return;
  const names = refs.slice(0, 5).map((r) => `${r.kind} "${r.name}"`);
  throw new ExpectedError(`Cannot ${what}: ${names.join(', ')}${refs.length > 5 ? ` and ${refs.length - 5} more` : ''} ${refs.length === 1 ? 'uses' : 'use'} it.`, 409);
}

export interface TraitStats {
  key: string;
  /** Profiles with a value under the key (not empty). */
  withValue: number;
  /** Of those, values that are not of the registered type (they match no condition but "is not empty"). */
  wrongType: number;
}

/** How the data fills each registered trait: one scan of profiles for all of them. */
export async function traitStats(db: Queryable = getPool()): Promise<TraitStats[]> {
  const traits = await listTraitDefinitions(db);
  if (traits.length === 0) return [];
  const { rows } = await db.query<{ key: string; with_value: number; wrong_type: number }>(
    `SELECT t.key,
            count(*) FILTER (WHERE NOT tagwise_json_is_empty(p.traits -> t.key))::int AS with_value,
            count(*) FILTER (WHERE NOT tagwise_json_is_empty(p.traits -> t.key) AND CASE t.type
               WHEN 'number' THEN tagwise_json_number(p.traits -> t.key) IS NULL
               WHEN 'boolean' THEN tagwise_json_boolean(p.traits -> t.key) IS NULL
               WHEN 'date' THEN tagwise_json_instant(p.traits -> t.key, 'UTC') IS NULL
               ELSE tagwise_json_text(p.traits -> t.key) IS NULL END)::int AS wrong_type
       FROM trait_definitions t CROSS JOIN profiles p
      WHERE p.traits ? t.key
      GROUP BY t.key`,
  );
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return traits.map((t) => ({ key: t.key, withValue: byKey.get(t.key)?.with_value ?? 0, wrongType: byKey.get(t.key)?.wrong_type ?? 0 }));
}

export interface DiscoveredKey {
  key: string;
  profiles: number;
  suggestedType: ValueType;
}

/**
 * Keys present in profiles' traits that are not registered, with the type most of their values
 * have, from the 50,000 most recent profiles (enough to suggest; the registration is the decision).
 */
export async function discoverTraitKeys(db: Queryable = getPool()): Promise<DiscoveredKey[]> {
  const { rows } = await db.query<{ key: string; profiles: number; numbers: number; booleans: number; dates: number }>(
    `SELECT e.key, count(*)::int AS profiles,
            count(*) FILTER (WHERE tagwise_json_number(e.value) IS NOT NULL)::int AS numbers,
            count(*) FILTER (WHERE tagwise_json_boolean(e.value) IS NOT NULL)::int AS booleans,
            count(*) FILTER (WHERE tagwise_json_instant(e.value, 'UTC') IS NOT NULL)::int AS dates
       FROM (SELECT traits FROM profiles ORDER BY id DESC LIMIT 50000) p
       CROSS JOIN LATERAL jsonb_each(p.traits) e
      WHERE NOT tagwise_json_is_empty(e.value)
        AND NOT EXISTS (SELECT 1 FROM trait_definitions t WHERE t.key = e.key)
      GROUP BY e.key
      ORDER BY count(*) DESC, e.key
      LIMIT 100`,
  );
  return rows
    .filter((r) => TRAIT_KEY_PATTERN.test(r.key))
    .map((r) => ({
      key: r.key,
      profiles: r.profiles,
      suggestedType: r.numbers === r.profiles ? 'number' : r.booleans === r.profiles ? 'boolean' : r.dates === r.profiles ? 'date' : 'text',
    }));
}
