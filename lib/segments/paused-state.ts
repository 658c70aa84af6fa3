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

/**
 * The evaluated version is the version before the first definition change made after the last
 * successful evaluation of this segment, or the current version when there was none. Both sides
 * are database timestamps (the run's start, the audit entry's transaction time), so neither the
 * app's clock nor a fixed evaluation clock enters into it. A change made before the run started
 * (the edit that a resume then evaluates) is never taken for one made after it.
 */
export async function getPausedState(segmentId: number, currentVersion: number): Promise<PausedState> {
  const result = await getPool().query<{ pausedAt: Date | null; evaluatedAt: Date | null; versionBefore: number | null }>(
    `WITH last_evaluation AS (
       SELECT r.started_at FROM segment_run_results rr JOIN segment_runs r ON r.id = rr.run_id
        WHERE rr.segment_id = $1 AND rr.error IS NULL
        ORDER BY rr.run_id DESC LIMIT 1
     ), entries AS (
       SELECT action, at, details FROM audit_log WHERE entity_type = 'segment' AND entity_id = $1::text
     )
     SELECT (SELECT max(at) FROM entries WHERE action = 'segment.pause') AS "pausedAt",
            (SELECT started_at FROM last_evaluation) AS "evaluatedAt",
            (SELECT min((e.details #>> '{before,version}')::int) FROM entries e, last_evaluation l
              WHERE e.action = 'segment.update' AND e.at > l.started_at
                AND (e.details #>> '{after,version}')::int > (e.details #>> '{before,version}')::int) AS "versionBefore"`,
    [segmentId],
  );
  const row = result.rows[0];
  if (!row?.evaluatedAt) return { pausedAt: row?.pausedAt ?? null, evaluatedVersion: null };
  return { pausedAt: row.pausedAt, evaluatedVersion: row.versionBefore ?? currentVersion };
}
