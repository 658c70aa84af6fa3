import type { Queryable } from '../db/pool';

export const VERSION_DELETE_ACTION = 'audience.version.delete';

/**
 * max + 1 over the versions that exist and those an admin deleted (recorded in the audit log in the
 * deleting transaction), so a number once handed out is never reused for a different snapshot:
 * "v3" in a file name always means the same rows.
 */
export async function nextVersionNumber(client: Queryable, audienceId: number): Promise<number> {
  const result = await client.query<{ next: number }>(
    `SELECT greatest(
        (SELECT coalesce(max(number), 0) FROM audience_versions WHERE audience_id = $1),
        (SELECT coalesce(max((details->>'number')::int), 0) FROM audit_log
          WHERE entity_type = 'audience' AND entity_id = $2 AND action = $3)
      )::int + 1 AS next`,
    [audienceId, String(audienceId), VERSION_DELETE_ACTION],
  );
  return result.rows[0]!.next;
}
