import type pg from 'pg';
import { getPool, withTransaction } from '../db/pool';
import { compileRules } from '../rules/compile';
import type { FieldCatalog } from '../rules/fields';
import { describeProblems, parseRules } from '../rules/parse';
import { loadFieldCatalog } from '../traits/registry';
import { getWorkspaceTimeZone } from '../settings/time-zone';
import { evaluationOrder, withDependents } from './dependencies';

export type RunTrigger = 'SCHEDULE' | 'CRON_ROUTE' | 'MANUAL' | 'DEFINITION_CHANGE' | 'DATA_CHANGE';
/** Runs of evaluateProfiles: only some profiles, so not under the full-run lock. */
const PARTIAL_TRIGGER = 'PROFILE_UPDATE';

export interface SegmentRunOutcome {
  id: number;
  name: string;
  members: number;
  entered: number;
  left: number;
  ms: number;
  error?: string;
}

export type RunResult =
  | { status: 'completed'; runId: number; clock: string; startedAt: string; ms: number; segments: SegmentRunOutcome[] }
  | { status: 'busy'; runId: number | null; startedAt: string | null };

/** A run whose heartbeat is older than this is taken to have died (crash, kill) and marked failed. */
export const STALE_RUN_MS = 10 * 60 * 1000;

interface SegmentRow {
  id: number;
  name: string;
  rules: unknown;
  version: number;
}

/**
 * Re-evaluates active segments (all of them, or the given ids and the segments that depend on them)
 * as one run with one clock, each after the segments whose tags it reads.
 * Only one run may be in progress across all processes: a second caller gets `busy` and does no work.
 * Each segment's membership swap is one atomic statement, so a crash leaves every segment at its
 * previous or its new membership, never in between; a failing segment is recorded and the others go on.
 */
export async function runSegmentEvaluation(options: { trigger: RunTrigger; now?: Date; segmentIds?: number[] }): Promise<RunResult> {
  const pool = getPool();
  const clock = options.now ?? new Date();
  const run = await acquireRun(pool, options.trigger, clock);
  if ('busy' in run) return { status: 'busy', runId: run.runId, startedAt: run.startedAt };

  const started = performance.now();
  const outcomes: SegmentRunOutcome[] = [];
  try {
    const active = await pool.query<SegmentRow>(`SELECT id, name, rules, version FROM segments WHERE status = 'ACTIVE' ORDER BY id`);
    // A changed segment takes the segments that read its tags along, after it.
    const chosen = options.segmentIds ? withDependents(options.segmentIds, active.rows) : null;
    const segments = evaluationOrder(chosen ? active.rows.filter((s) => chosen.has(s.id)) : active.rows);
    const timeZone = await getWorkspaceTimeZone(pool); // one zone per run, like the clock
    const catalog = await loadFieldCatalog(pool);
    for (const segment of segments) {
      outcomes.push(await evaluateOneSegment(segment, run.runId, clock, timeZone, catalog));
      await pool.query(`UPDATE segment_runs SET heartbeat_at = now() WHERE id = $1`, [run.runId]);
    }
    await pool.query(`UPDATE segment_runs SET status = 'SUCCEEDED', finished_at = now() WHERE id = $1`, [run.runId]);
  } catch (error) {
    await pool.query(`UPDATE segment_runs SET status = 'FAILED', finished_at = now(), error = $2 WHERE id = $1`, [
      run.runId,
      (error as Error).message,
    ]);
    throw error;
  }
  return {
    status: 'completed',
    runId: run.runId,
    clock: clock.toISOString(),
    startedAt: run.startedAt,
    ms: Math.round(performance.now() - started),
    segments: outcomes,
  };
}

/**
 * Re-evaluates only these profiles against every active segment (dependency order), after new data
 * for them: one set-based statement per segment over the given ids. Not held back by a full run in
 * progress (swaps of one segment take turns); enters and leaves are recorded with a PROFILE_UPDATE run.
 */
export async function evaluateProfiles(profileIds: number[], options: { now?: Date } = {}): Promise<{ runId: number; segments: SegmentRunOutcome[] } | null> {
  const ids = [...new Set(profileIds)].filter((id) => Number.isInteger(id) && id > 0);
  if (ids.length === 0) return null;
  const pool = getPool();
  const clock = options.now ?? new Date();
  const run = await pool.query<{ id: number }>(`INSERT INTO segment_runs (trigger, status, clock) VALUES ($1::"RunTrigger", 'RUNNING', $2) RETURNING id`, [
    PARTIAL_TRIGGER,
    clock.toISOString(),
  ]);
  const runId = run.rows[0]!.id;
  const outcomes: SegmentRunOutcome[] = [];
  const errors: string[] = [];
  const active = await pool.query<SegmentRow>(`SELECT id, name, rules, version FROM segments WHERE status = 'ACTIVE' ORDER BY id`);
  const timeZone = await getWorkspaceTimeZone(pool);
  const catalog = await loadFieldCatalog(pool);
  for (const segment of evaluationOrder(active.rows)) {
    const started = performance.now();
    const parsed = parseRules(segment.rules, catalog);
    if (!parsed.ok) continue; // a broken segment is reported by the full runs, which skip nothing
    try {
      const counts = await withTransaction((client) => swapMembership(client, segment, runId, clock, timeZone, parsed.tree, ids));
      outcomes.push({ id: segment.id, name: segment.name, ...counts, ms: Math.round(performance.now() - started) });
    } catch (error) {
      errors.push(`${segment.name}: ${(error as Error).message}`);
    }
  }
  await pool.query(`UPDATE segment_runs SET status = $2::"RunStatus", finished_at = now(), error = $3 WHERE id = $1`, [
    runId,
    errors.length ? 'FAILED' : 'SUCCEEDED',
    errors.length ? errors.join('; ') : null,
  ]);
  return { runId, segments: outcomes };
}

/**
 * Marks runs left RUNNING by a process that is gone. Only safe when no other process can be running
 * one, i.e. at the start of the process that owns the embedded database.
 */
export async function failInterruptedRuns(): Promise<number> {
  const result = await getPool().query(
    `UPDATE segment_runs SET status = 'FAILED', finished_at = now(), error = 'interrupted: the server stopped during the run' WHERE status = 'RUNNING'`,
  );
  return result.rowCount ?? 0;
}

async function acquireRun(
  pool: pg.Pool,
  trigger: RunTrigger,
  clock: Date,
): Promise<{ runId: number; startedAt: string } | { busy: true; runId: number | null; startedAt: string | null }> {
  await pool.query(
    `UPDATE segment_runs SET status = 'FAILED', finished_at = now(), error = 'abandoned: no heartbeat (the process running it stopped)'
      WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1::int)`,
    [STALE_RUN_MS / 1000],
  );
  // A run that ends between our failed insert and our look-up leaves nothing to wait for: try again.
  for (let attempt = 0; ; attempt++) {
    const inserted = await pool.query<{ id: number; started_at: Date }>(
      // The NOT EXISTS spares a run id when a run is plainly in progress; the unique index settles races.
      `INSERT INTO segment_runs (trigger, status, clock)
       SELECT $1::"RunTrigger", 'RUNNING', $2 WHERE NOT EXISTS (SELECT 1 FROM segment_runs WHERE status = 'RUNNING' AND trigger <> $3::"RunTrigger")
       ON CONFLICT DO NOTHING RETURNING id, started_at`,
      [trigger, clock.toISOString(), PARTIAL_TRIGGER],
    );
    const row = inserted.rows[0];
    if (row) return { runId: row.id, startedAt: row.started_at.toISOString() };
    const running = await pool.query<{ id: number; started_at: Date }>(
      `SELECT id, started_at FROM segment_runs WHERE status = 'RUNNING' AND trigger <> $1::"RunTrigger" ORDER BY id DESC LIMIT 1`,
      [PARTIAL_TRIGGER],
    );
    const current = running.rows[0];
    if (current || attempt >= 2) return { busy: true, runId: current?.id ?? null, startedAt: current?.started_at.toISOString() ?? null };
  }
}

async function evaluateOneSegment(segment: SegmentRow, runId: number, clock: Date, timeZone: string, catalog: FieldCatalog): Promise<SegmentRunOutcome> {
  const started = performance.now();
  const base = { id: segment.id, name: segment.name };
  try {
    const parsed = parseRules(segment.rules, catalog);
    if (!parsed.ok) throw new Error(`invalid rules: ${describeProblems(parsed.problems)}`);
    const counts = await withTransaction((client) => swapMembership(client, segment, runId, clock, timeZone, parsed.tree));
    const ms = Math.round(performance.now() - started);
    await getPool().query(
      `INSERT INTO segment_run_results (run_id, segment_id, members, entered, "left", ms, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [runId, segment.id, counts.members, counts.entered, counts.left, ms, clock.toISOString()],
    );
    return { ...base, ...counts, ms };
  } catch (error) {
    const message = (error as Error).message;
    const ms = Math.round(performance.now() - started);
    const pool = getPool();
    await pool.query(`UPDATE segments SET last_error = $2 WHERE id = $1`, [segment.id, message]);
    const previous = await pool.query<{ member_count: number }>(`SELECT member_count FROM segments WHERE id = $1`, [segment.id]);
    const members = previous.rows[0]?.member_count ?? 0;
    await pool.query(
      `INSERT INTO segment_run_results (run_id, segment_id, members, entered, "left", ms, error, at) VALUES ($1, $2, $3, 0, 0, $4, $5, $6)`,
      [runId, segment.id, members, ms, message, clock.toISOString()],
    );
    return { ...base, members, entered: 0, left: 0, ms, error: message };
  }
}

/** One statement: compute the matching set, add the newcomers, remove the leavers, log both. */
async function swapMembership(
  client: pg.PoolClient,
  segment: SegmentRow,
  runId: number,
  clock: Date,
  timeZone: string,
  tree: Parameters<typeof compileRules>[0],
  scope: number[] | null = null,
): Promise<{ members: number; entered: number; left: number }> {
  const fixed: unknown[] = [clock.toISOString(), segment.id, runId, segment.version, ...(scope ? [scope] : [])];
  const { where, params } = compileRules(tree, clock, { paramOffset: fixed.length, timeZone });
  const [at, seg, run, version, ids] = ['$1::timestamptz', '$2::int', '$3::int', '$4::int', '$5::int[]'];
  // With a scope, only those profiles are looked at (new data for them); the rest keep their tags.
  const inScope = (column: string) => (scope ? ` AND ${column} = ANY(${ids})` : '');
  // Swaps of one segment take turns (a full run and a per-profile one may overlap otherwise).
  await client.query(`SELECT 1 FROM segments WHERE id = $1 FOR UPDATE`, [segment.id]);
  const sql = `
    WITH matched AS MATERIALIZED (
      -- Pins override the rules (lib/segments/pins.ts): unpinned profiles that match, plus those pinned IN.
      -- Two disjoint branches (an anti-join, then the IN pins): "rules OR EXISTS (pin)" cannot be planned as a join.
      SELECT p.id AS profile_id FROM profiles p
       WHERE (${where}) AND NOT EXISTS (SELECT 1 FROM segment_pins sp WHERE sp.segment_id = ${seg} AND sp.profile_id = p.id)${inScope('p.id')}
      UNION ALL
      SELECT sp.profile_id FROM segment_pins sp WHERE sp.segment_id = ${seg} AND sp.mode = 'IN'${inScope('sp.profile_id')}
    ), current AS MATERIALIZED (
      SELECT sm.profile_id FROM segment_memberships sm WHERE sm.segment_id = ${seg}${inScope('sm.profile_id')}
    ), entered AS (
      -- An anti-join finds the newcomers in one pass; ON CONFLICT only guards against races.
      INSERT INTO segment_memberships (segment_id, profile_id, entered_at, run_id)
      SELECT ${seg}, m.profile_id, ${at}, ${run} FROM matched m
       WHERE NOT EXISTS (SELECT 1 FROM current c WHERE c.profile_id = m.profile_id)
      ON CONFLICT (segment_id, profile_id) DO NOTHING
      RETURNING profile_id
    ), departed AS (
      DELETE FROM segment_memberships sm
       WHERE sm.segment_id = ${seg}
         AND sm.profile_id IN (SELECT c.profile_id FROM current c WHERE NOT EXISTS (SELECT 1 FROM matched m WHERE m.profile_id = c.profile_id))
      RETURNING sm.profile_id
    ), logged AS (
      INSERT INTO segment_membership_changes (segment_id, profile_id, change, at, run_id, definition_version)
      SELECT ${seg}, profile_id, 'ENTERED'::"MembershipChange", ${at}, ${run}, ${version} FROM entered
      UNION ALL
      SELECT ${seg}, profile_id, 'LEFT'::"MembershipChange", ${at}, ${run}, ${version} FROM departed
    )
    SELECT (SELECT count(*) FROM matched)::int AS members,
           (SELECT count(*) FROM entered)::int AS entered,
           (SELECT count(*) FROM departed)::int AS left`;
  const result = await client.query<{ members: number; entered: number; left: number }>(sql, [...fixed, ...params]);
  const counts = result.rows[0]!;
  if (scope) {
    const updated = await client.query<{ member_count: number }>(
      `UPDATE segments SET member_count = member_count + $2 WHERE id = $1 RETURNING member_count`,
      [segment.id, counts.entered - counts.left],
    );
    return { ...counts, members: updated.rows[0]!.member_count };
  }
  await client.query(`UPDATE segments SET member_count = $2, last_evaluated_at = $3, evaluated_version = $4, last_error = NULL WHERE id = $1`, [
    segment.id,
    counts.members,
    clock.toISOString(),
    segment.version,
  ]);
  return counts;
}
