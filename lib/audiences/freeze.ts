import type pg from 'pg';
import { audit } from '../audit';
import { ExpectedError, NotFoundError } from '../auth/errors';
import { withTransaction } from '../db/pool';
import { getWorkspaceTimeZone } from '../settings/time-zone';
import { compileRules } from '../rules/compile';
import { cellsSql } from './columns';
import { validateDefinition } from './definition';

export interface FrozenVersion {
  audienceId: number;
  versionId: number;
  number: number;
  rowCount: number;
  createdAt: string;
}

const BUSY_MESSAGE = 'A snapshot of this audience is being frozen right now. Wait a moment, reload and try again.';

/**
 * Freezes the audience's current definition into version N+1, in one REPEATABLE READ transaction:
 * lock the audience row (a second freeze of the same audience is refused, not queued behind it),
 * take the next number from its counter (never reused, even after an admin deletes a version),
 * write the version row with its row count, then copy every matching profile's rendered cells with
 * one set-based INSERT … SELECT. Any failure rolls everything back: never a partial version.
 *
 * The database refuses any UPDATE of a version, so its row_count is right on insert: it is counted
 * first, and the copy, reading the same snapshot, must insert exactly that many rows. (Counting
 * separately avoids materialising a million rendered rows to count them in the same statement.)
 */
export async function freezeAudience(audienceId: number, userId: number | null, now = new Date()): Promise<FrozenVersion> {
  return withTransaction(async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const audience = await lockAudience(client, audienceId);
    const { tree, columns } = validateDefinition(audience.rules, audience.columns);
    const number = await takeNextVersionNumber(client, audienceId);
    const timeZone = await getWorkspaceTimeZone(client);
    const { where, params } = compileRules(tree, now, { paramOffset: 6, timeZone });
    const keys = columns.map((c) => c.key);
    const inserted = await client.query<{ id: number; row_count: number; created_at: Date }>(
      `INSERT INTO audience_versions (audience_id, number, rules, columns, row_count, created_by_id, created_at)
       SELECT $1::int, $2::int, $3::jsonb, $4::jsonb, (SELECT count(*) FROM profiles p WHERE ${where})::int, $5::int, $6::timestamptz
       RETURNING id, row_count, created_at`,
      [audienceId, number, JSON.stringify(audience.rules), JSON.stringify(keys), userId, now.toISOString(), ...params],
    );
    const version = inserted.rows[0]!;
    const copy = compileRules(tree, now, { paramOffset: 1, timeZone });
    const copied = await client.query(
      `INSERT INTO audience_snapshot_rows (version_id, row_no, profile_id, cells)
       SELECT $1::int, (row_number() OVER (ORDER BY p.id))::int, p.id, ${cellsSql(columns)} FROM profiles p WHERE ${copy.where}`,
      [version.id, ...copy.params],
    );
    if (copied.rowCount !== version.row_count) throw new Error(`freeze copied ${copied.rowCount} rows but counted ${version.row_count}`);
    const details = { versionId: version.id, number, rowCount: version.row_count };
    await audit({ actorId: userId, action: 'audience.freeze', entityType: 'audience', entityId: audienceId, details }, client);
    return { audienceId, versionId: version.id, number, rowCount: version.row_count, createdAt: version.created_at.toISOString() };
  }).catch(translateConflict);
}

/** Locks the audience row for a new version, or refuses at once (55P03) when another freeze holds it. */
export async function lockAudience(client: pg.PoolClient, audienceId: number): Promise<{ rules: unknown; columns: unknown }> {
  const locked = await client.query<{ rules: unknown; columns: unknown }>(`SELECT rules, columns FROM audiences WHERE id = $1 FOR UPDATE NOWAIT`, [audienceId]);
  const audience = locked.rows[0];
  if (!audience) throw new NotFoundError('The audience');
  return audience;
}

export async function takeNextVersionNumber(client: pg.PoolClient, audienceId: number): Promise<number> {
  const result = await client.query<{ number: number }>(
    `UPDATE audiences SET last_version_number = last_version_number + 1 WHERE id = $1 RETURNING last_version_number AS number`,
    [audienceId],
  );
  return result.rows[0]!.number;
}

/**
 * Lock held by a concurrent freeze (55P03), a number taken at the same moment (23505), or the
 * audience changed by a transaction that committed while this one began (40001): the same story for the user.
 */
export function translateConflict(error: unknown): never {
  const code = (error as { code?: string }).code;
  if (code === '55P03' || code === '23505' || code === '40001') throw new ExpectedError(BUSY_MESSAGE, 409);
  throw error;
}
