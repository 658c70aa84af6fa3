import type { Queryable } from '../db/pool';
import { getPool, withTransaction } from '../db/pool';
import { evaluateProfilesInTransaction, type SegmentRunOutcome } from './evaluate';

/**
 * Profiles whose data changed and whose segment tags are not re-evaluated yet.
 *
 * A writer queues its profiles in the transaction of its change (queueProfileEvaluation), so a change
 * and its pending re-evaluation commit together: a crash after the commit loses nothing, the next
 * pass picks the profiles up. A pass (evaluatePendingProfiles) claims queued rows and re-evaluates their
 * profiles in one transaction, so a pass that fails leaves its rows queued for the next one.
 *
 * The queue is append-only, without a unique key on the profile: a writer never waits on a pass that is
 * deleting rows for the same profile, and concurrent passes (other processes) skip each other's rows.
 */

/** Rows claimed by one pass at most: bounds its transaction; more are left for the next pass. */
export const PASS_LIMIT = 10_000;

export async function queueProfileEvaluation(client: Queryable, profileIds: number[]): Promise<void> {
  if (profileIds.length === 0) return;
  await client.query(queueProfilesSql('$1'), [profileIds]);
}

/** The statement queueProfileEvaluation runs, for a writer that folds it into one of its own (as a CTE): `param` is an int[] parameter. */
export function queueProfilesSql(param: string): string {
  return `INSERT INTO profile_evaluation_queue (profile_id) SELECT DISTINCT unnest(${param}::int[])`;
}

export interface PendingPass {
  /** Queue rows claimed (several may name one profile). */
  claimed: number;
  /** Distinct profiles re-evaluated. */
  profiles: number;
  /** When the oldest change of the pass was queued: its lag is the pass's end minus this. */
  oldestQueuedAt: Date | null;
  /** The pass's run, kept when it moved a tag or a segment failed. */
  runId: number | null;
  segments: SegmentRunOutcome[];
}

const EMPTY: PendingPass = { claimed: 0, profiles: 0, oldestQueuedAt: null, runId: null, segments: [] };

/**
 * One pass: claims up to `limit` queued rows (skipping rows another pass holds) and re-evaluates their
 * profiles against every active segment, in one transaction. Should a statement fail, the pass is made
 * again one segment at a time (a failing segment is recorded in the run and the others move), which
 * still consumes the rows: one broken segment does not keep the queue from draining.
 */
export async function evaluatePendingProfiles(options: { limit?: number; now?: Date } = {}): Promise<PendingPass> {
  const limit = options.limit ?? PASS_LIMIT;
  const pass = (oneByOne: boolean) =>
    withTransaction(async (client) => {
      const claimed = await client.query<{ ids: number[] | null; rows: number; oldest: Date | null }>(
        `WITH claimed AS (
           DELETE FROM profile_evaluation_queue
            WHERE id IN (SELECT id FROM profile_evaluation_queue ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING profile_id, queued_at)
         SELECT array_agg(DISTINCT profile_id ORDER BY profile_id) AS ids, count(*)::int AS rows, min(queued_at) AS oldest FROM claimed`,
        [limit],
      );
      const { ids, rows, oldest } = claimed.rows[0]!;
      if (!ids || rows === 0) return EMPTY;
      // The clock is read after the claim: every claimed change committed before it.
      const result = await evaluateProfilesInTransaction(client, ids, options.now ?? new Date(), oneByOne);
      // Most passes move no tag (a page view rarely changes a segment): such a run says nothing worth
      // keeping, and under load there would be several a second. A failed one is kept.
      const moved = result.segments.some((s) => s.entered > 0 || s.left > 0);
      if (!moved && !oneByOne) await client.query(`DELETE FROM segment_runs WHERE id = $1`, [result.runId]);
      return { claimed: rows, profiles: ids.length, oldestQueuedAt: oldest, runId: moved || oneByOne ? result.runId : null, segments: result.segments };
    });
  try {
    return await pass(false);
  } catch (error) {
    console.warn(`real-time evaluation: a statement failed (${(error as Error).message}); once more, one segment at a time`);
    return pass(true);
  }
}

/**
 * Reclaims the queue's dead rows: each pass deletes what it claims, and a pass's scan would otherwise
 * step over every row deleted since the last vacuum. Needed on PGlite, which runs no autovacuum; cheap
 * on a table that is nearly empty. Outside any transaction (VACUUM cannot run in one).
 */
export async function vacuumQueue(): Promise<void> {
  await getPool().query(`VACUUM profile_evaluation_queue`);
}

/** How many changes wait, and since when the oldest (for health checks and the benchmark). */
export async function pendingEvaluations(client: Queryable): Promise<{ queued: number; oldestQueuedAt: Date | null }> {
  const r = await client.query<{ queued: number; oldest: Date | null }>(
    `SELECT count(*)::int AS queued, min(queued_at) AS oldest FROM profile_evaluation_queue`,
  );
  return { queued: r.rows[0]!.queued, oldestQueuedAt: r.rows[0]!.oldest };
}
