import { loadFieldCatalog } from '../traits/registry';
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
 * take the next number from its counter (never reused, even after an admin deletes a version),
 * copy every matching profile's rendered cells with one set-based INSERT … SELECT, then write the
 * version row with the number of rows copied. Any failure rolls everything back: never a partial version.
 *
 * The database refuses any UPDATE of a version, so its row_count must be right on insert; the rows
 * go first (under the version id taken from its sequence), so the rules are evaluated once and
 * nothing is materialised just to be counted. Snapshot rows have no foreign key (see the schema),
 * and nobody sees the rows before the version: both commit together.
 */
export async function freezeAudience(audienceId: number, userId: number | null, now = new Date()): Promise<FrozenVersion> {
  return withTransaction(async (client) => {
    const audience = await lockAudience(client, audienceId);
    const { tree, columns } = validateDefinition(audience.rules, audience.columns, await loadFieldCatalog(client, { lockShared: true }));
    const number = await takeNextVersionNumber(client, audienceId);
    const { where, params } = compileRules(tree, now, { paramOffset: 1, timeZone: await getWorkspaceTimeZone(client) });
    const versionId = (await client.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('audience_versions', 'id'))::int AS id`)).rows[0]!.id;
    const copied = await client.query(
      `INSERT INTO audience_snapshot_rows (version_id, row_no, profile_id, cells)
       SELECT $1::int, (row_number() OVER (ORDER BY p.id))::int, p.id, ${cellsSql(columns)} FROM profiles p WHERE ${where}`,
      [versionId, ...params],
    );
    const rowCount = copied.rowCount ?? 0;
    const inserted = await client.query<{ created_at: Date }>(
      `INSERT INTO audience_versions (id, audience_id, number, rules, columns, row_count, created_by_id, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8::timestamptz) RETURNING created_at`,
      [versionId, audienceId, number, JSON.stringify(audience.rules), JSON.stringify(columns.map((c) => c.key)), rowCount, userId, now.toISOString()],
    );
    const details = { versionId, number, rowCount };
    await audit({ actorId: userId, action: 'audience.freeze', entityType: 'audience', entityId: audienceId, details }, client);
    return { audienceId, versionId, number, rowCount, createdAt: inserted.rows[0]!.created_at.toISOString() };
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
