import { audit } from '../audit';
import { NotFoundError } from '../auth/errors';
import { withTransaction } from '../db/pool';

/**
 * Deletes one version and its rows (admins only; the caller checks the permission). The database
 * refuses this unless the transaction sets tagwise.deleting_snapshot. The number is not handed out
 * again (audiences.last_version_number only grows), so "v3" always means the same rows.
 */
export async function deleteVersion(audienceId: number, number: number, actorId: number): Promise<{ versionId: number; rowCount: number }> {
  return withTransaction(async (client) => {
    await client.query(`SET LOCAL tagwise.deleting_snapshot = 'on'`);
    const deleted = await client.query<{ id: number; row_count: number }>(
      `DELETE FROM audience_versions WHERE audience_id = $1 AND number = $2 RETURNING id, row_count`,
      [audienceId, number],
    );
    const version = deleted.rows[0];
    if (!version) throw new NotFoundError(`Version ${number} of this audience`);
    await audit(
      { actorId, action: 'audience.version.delete', entityType: 'audience', entityId: audienceId, details: { versionId: version.id, number, rowCount: version.row_count } },
      client,
    );
    return { versionId: version.id, rowCount: version.row_count };
  });
}
