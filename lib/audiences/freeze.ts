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
 * Freezes the audience's current definition into version N+1, in one transaction:
 * lock the audience row (a second freeze of the same audience is refused, not queued behind it),
 * take the next number from its counter (never reused, even after an admin deletes a version), then copy every matching profile's rendered cells with one set-based statement.
 * Any failure rolls everything back, so there is never a partial version.
 *
 * The version row and its rows are written by one statement because the database refuses any UPDATE
 * of a version (immutability trigger): its row_count must be right on insert.
 */
export async function freezeAudience(audienceId: number, userId: number | null, now = new Date()): Promise<FrozenVersion> {
  return withTransaction(async (client) => {
    const audience = await lockAudience(client, audienceId);
    const { tree, columns } = validateDefinition(audience.rules, audience.columns);
    const number = await takeNextVersionNumber(client, audienceId);
    const { where, params } = compileRules(tree, now, { paramOffset: 6, timeZone: await getWorkspaceTimeZone(client) });
    const sql = `
      WITH matched AS MATERIALIZED (
        SELECT (row_number() OVER (ORDER BY p.id))::int AS row_no, p.id AS profile_id, ${cellsSql(columns)} AS cells
          FROM profiles p WHERE ${where}
      ), version AS (
        INSERT INTO audience_versions (audience_id, number, rules, columns, row_count, created_by_id, created_at)
        SELECT $1::int, $2::int, $3::jsonb, $4::jsonb, (SELECT count(*) FROM matched)::int, $5::int, $6::timestamptz
        RETURNING id, row_count, created_at
      ), copied AS (
        INSERT INTO audience_snapshot_rows (version_id, row_no, profile_id, cells)
        SELECT version.id, m.row_no, m.profile_id, m.cells FROM matched m CROSS JOIN version
      )
      SELECT id, row_count, created_at FROM version`;
    const keys = columns.map((c) => c.key);
    const result = await client.query<{ id: number; row_count: number; created_at: Date }>(sql, [
      audienceId,
      number,
      JSON.stringify(audience.rules),
      JSON.stringify(keys),
      userId,
      now.toISOString(),
      ...params,
    ]);
    const row = result.rows[0]!;
    const details = { versionId: row.id, number, rowCount: row.row_count };
    await audit({ actorId: userId, action: 'audience.freeze', entityType: 'audience', entityId: audienceId, details }, client);
    return { audienceId, versionId: row.id, number, rowCount: row.row_count, createdAt: row.created_at.toISOString() };
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

/** Lock held by a concurrent freeze (55P03), or a number taken at the same moment (23505): the same story for the user. */
export function translateConflict(error: unknown): never {
  const code = (error as { code?: string }).code;
  if (code === '55P03' || code === '23505') throw new ExpectedError(BUSY_MESSAGE, 409);
  throw error;
}
