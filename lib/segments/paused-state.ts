import { getPool } from '../db/pool';

/**
 * What a paused segment's members stand for. Pausing keeps the tags; editing a paused segment
 * bumps its version without evaluating it, so its page can show a definition its members do not match.
 */
export interface PausedState {
  /** When it was last paused (from the audit log), null when no pause was recorded. */
  pausedAt: Date | null;
  /** The definition version the current members were evaluated with; null when never evaluated. */
  evaluatedVersion: number | null;
}

export async function getPausedState(segmentId: number): Promise<PausedState> {
  const result = await getPool().query<PausedState>(
    `SELECT s.evaluated_version AS "evaluatedVersion",
            (SELECT max(a.at) FROM audit_log a WHERE a.entity_type = 'segment' AND a.entity_id = s.id::text AND a.action = 'segment.pause') AS "pausedAt"
       FROM segments s WHERE s.id = $1`,
    [segmentId],
  );
  return result.rows[0] ?? { pausedAt: null, evaluatedVersion: null };
}
