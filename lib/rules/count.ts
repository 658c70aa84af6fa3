import { getPool, type Queryable } from '../db/pool';
import { getWorkspaceTimeZone } from '../settings/time-zone';
import { compileRules } from './compile';
import type { Group } from './parse';

/** How many profiles match the rules right now (the builder's live count). */
export async function countMatchingProfiles(tree: Group, now = new Date(), db: Queryable = getPool()): Promise<number> {
  const { where, params } = compileRules(tree, now, { timeZone: await getWorkspaceTimeZone(db) });
  const result = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM profiles p WHERE ${where}`, params);
  return result.rows[0]?.count ?? 0;
}
