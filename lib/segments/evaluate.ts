import { createHash } from 'node:crypto';
import type pg from 'pg';
import { databaseKind } from '../db/kind';
import { getPool, withTransaction } from '../db/pool';
import { compileRules } from '../rules/compile';
import { createCatalog, type FieldCatalog, type TraitDefinition } from '../rules/fields';
import { describeProblems, parseRules, type Group, type ParseResult } from '../rules/parse';
import { loadFieldCatalog } from '../traits/registry';
import { DEFAULT_TIME_ZONE, getWorkspaceTimeZone, TIME_ZONE_KEY } from '../settings/time-zone';
import { evaluationOrder, referencedSegments, withDependents } from './dependencies';

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

/** The one place evaluation parses a segment's rules, with the fields (and registered traits) the run read once. */
function parseSegmentRules(rules: unknown, catalog: FieldCatalog): ParseResult {
  return parseRules(rules, catalog);
}

/**
 * Set for the evaluation transactions only (set_config(..., true) is SET LOCAL), as is jit = off:
 * compiling costs 50-100 ms per statement here, more than it saves. A full run sorts the matching
 * profiles and the members of a segment for its diff, which must not spill to disk at the default.
 */
const WORK_MEM = '64MB';

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
    for (const segment of segments) outcomes.push(await evaluateOneSegment(segment, run.runId, clock, timeZone, catalog));
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
 * Re-evaluates only these profiles against every active segment, after new data for them, in one
 * transaction: one set-based statement per dependency level, over the given ids (a segment that
 * reads another's tags is in a later level, so it sees that segment's new tags). Every active segment
 * is locked for the transaction, so these swaps take turns with a full run's; a full run in
 * progress does not hold this back otherwise. Enters and leaves are recorded with a PROFILE_UPDATE
 * run. A segment whose rules fail is recorded in the run's error, and the others still move:
 * should a statement fail, the attempt is rolled back and made again one segment at a time.
 * The `ms` of each segment is that of its level's statement, which it shares.
 */
export async function evaluateProfiles(profileIds: number[], options: { now?: Date } = {}): Promise<{ runId: number; segments: SegmentRunOutcome[] } | null> {
  const ids = [...new Set(profileIds)].filter((id) => Number.isInteger(id) && id > 0);
  if (ids.length === 0) return null;
  const clock = options.now ?? new Date();
  try {
    return await withTransaction((client) => evaluateProfilesInTransaction(client, ids, clock, false));
  } catch (error) {
    console.warn(`per-profile evaluation: a statement failed (${(error as Error).message}); once more, one segment at a time`);
    return withTransaction((client) => evaluateProfilesInTransaction(client, ids, clock, true));
  }
}

/**
 * evaluateProfiles inside the caller's transaction (lib/segments/pending.ts claims its queue rows in
 * the same one). `oneByOne` puts each segment under its own savepoint, so a failing one is recorded
 * and the others still move; without it, a failing statement fails the transaction.
 */
export async function evaluateProfilesInTransaction(
  client: pg.PoolClient,
  ids: number[],
  clock: Date,
  oneByOne: boolean,
): Promise<{ runId: number; segments: SegmentRunOutcome[] }> {
  // One round trip opens the run, locks every active segment (in id order, as other writers lock
  // several), reads the workspace time zone (as getWorkspaceTimeZone does) and sets the transaction
  // up: the statements below are small and planned once per connection (see swapProfiles), so no
  // JIT and a generic plan. Under load every round trip can wait for a CPU, hence so few.
  const opened = await client.query<SegmentRow & { runId: number; timeZone: unknown; traits: TraitDefinition[] | null }>(
    `WITH run AS (
       INSERT INTO segment_runs (trigger, status, clock) VALUES ($1::"RunTrigger", 'RUNNING', $2) RETURNING id
     ), active AS (
       SELECT id, name, rules, version FROM segments WHERE status = 'ACTIVE' ORDER BY id FOR UPDATE
     )
     SELECT run.id AS "runId", a.id, a.name, a.rules, a.version, (SELECT value FROM settings WHERE key = $3) AS "timeZone",
            (SELECT json_agg(json_build_object('key', t.key, 'label', t.label, 'type', t.type)) FROM trait_definitions t) AS traits,
            set_config('jit', 'off', true) AS jit, set_config('plan_cache_mode', 'force_generic_plan', true) AS plans
       FROM run LEFT JOIN active a ON true
      ORDER BY a.id`,
    [PARTIAL_TRIGGER, clock.toISOString(), TIME_ZONE_KEY],
  );
  const { runId, timeZone: zone, traits } = opened.rows[0]!;
  const catalog = createCatalog(traits ?? []);
  const timeZone = typeof zone === 'string' ? zone : DEFAULT_TIME_ZONE;
  const active: SegmentRow[] = opened.rows.filter((r) => r.id !== null).map(({ id, name, rules, version }) => ({ id, name, rules, version }));
  const order = evaluationOrder(active);
  const outcomes: SegmentRunOutcome[] = [];
  const errors: string[] = [];
  let finished = false;
  for (const level of evaluationLevels(order)) {
    const batch: ParsedSegment[] = [];
    for (const segment of level) {
      const parsed = parseSegmentRules(segment.rules, catalog);
      if (parsed.ok) batch.push({ segment, tree: parsed.tree }); // a broken segment is reported by the full runs, which skip nothing
    }
    if (batch.length === 0) continue;
    if (!oneByOne) {
      outcomes.push(...(await swapProfiles(client, batch, runId, clock, timeZone, ids)));
      finished = true;
      continue;
    }
    for (const one of batch) {
      await client.query('SAVEPOINT segment');
      try {
        outcomes.push(...(await swapProfiles(client, [one], runId, clock, timeZone, ids)));
        await client.query('RELEASE SAVEPOINT segment');
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT segment');
        errors.push(`${one.segment.name}: ${(error as Error).message}`);
      }
    }
  }
  // Each swap statement marks the run succeeded as it goes (one round trip less); a failure, which
  // is recorded here, or no statement at all, need this.
  if (!finished || oneByOne) {
    await client.query(`UPDATE segment_runs SET status = $2::"RunStatus", finished_at = clock_timestamp(), error = $3 WHERE id = $1`, [
      runId,
      errors.length ? 'FAILED' : 'SUCCEEDED',
      errors.length ? errors.join('; ') : null,
    ]);
  }
  const position = new Map(order.map((s, i) => [s.id, i]));
  outcomes.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  return { runId, segments: outcomes };
}

interface ParsedSegment {
  segment: SegmentRow;
  tree: Group;
}

/**
 * Segments in evaluation order, grouped into levels that one statement each can evaluate: a segment
 * comes one level after the last segment it reads that is evaluated before it, so it sees that
 * segment's new tags, and no segment reads another of its own level.
 */
function evaluationLevels<T extends SegmentRow>(ordered: T[]): T[][] {
  const levelOf = new Map<number, number>();
  const levels: T[][] = [];
  for (const segment of ordered) {
    // Only segments evaluated before it count: itself and, in a cycle, later ones are read as stored.
    const before = referencedSegments(segment.rules).filter((id) => levelOf.has(id));
    const level = before.length ? Math.max(...before.map((id) => levelOf.get(id)!)) + 1 : 0;
    levelOf.set(segment.id, level);
    (levels[level] ??= []).push(segment);
  }
  return levels;
}

/**
 * One statement for several independent segments and a few profiles: each segment's rules for each
 * profile (a pin overrides them: IN is a member, OUT is not), diffed against the current tags of
 * those profiles, newcomers added, leavers removed, both logged, member counts moved.
 */
async function swapProfiles(
  client: pg.PoolClient,
  batch: ParsedSegment[],
  runId: number,
  clock: Date,
  timeZone: string,
  ids: number[],
): Promise<SegmentRunOutcome[]> {
  const started = performance.now();
  const params: unknown[] = [clock.toISOString(), runId, ids, batch.map((b) => b.segment.id), batch.map((b) => b.segment.version)];
  const rows = batch.map(({ segment, tree }) => {
    params.push(segment.id);
    const id = `$${params.length}::int`;
    const { where, params: own } = compileRules(tree, clock, { paramOffset: params.length, timeZone });
    params.push(...own);
    return `(${id}, ${where})`;
  });
  const [at, run, scope, segmentIds, versions] = ['$1::timestamptz', '$2::int', '$3::int[]', '$4::int[]', '$5::int[]'];
  const sql = `
    WITH hit AS MATERIALIZED (
      SELECT v.segment_id, p.id AS profile_id
        FROM profiles p
       CROSS JOIN LATERAL (VALUES ${rows.join(', ')}) AS v(segment_id, matches)
        LEFT JOIN segment_pins sp ON sp.segment_id = v.segment_id AND sp.profile_id = p.id
       WHERE p.id = ANY(${scope}) AND CASE WHEN sp.mode IS NULL THEN v.matches ELSE sp.mode = 'IN' END
    ), current AS MATERIALIZED (
      SELECT sm.segment_id, sm.profile_id FROM segment_memberships sm WHERE sm.segment_id = ANY(${segmentIds}) AND sm.profile_id = ANY(${scope})
    ), entered AS (
      INSERT INTO segment_memberships (segment_id, profile_id, entered_at, run_id)
      SELECT h.segment_id, h.profile_id, ${at}, ${run} FROM hit h
       WHERE NOT EXISTS (SELECT 1 FROM current c WHERE c.segment_id = h.segment_id AND c.profile_id = h.profile_id)
      ON CONFLICT (segment_id, profile_id) DO NOTHING
      RETURNING segment_id, profile_id
    ), departed AS (
      DELETE FROM segment_memberships sm USING current c
       WHERE sm.segment_id = c.segment_id AND sm.profile_id = c.profile_id
         AND NOT EXISTS (SELECT 1 FROM hit h WHERE h.segment_id = c.segment_id AND h.profile_id = c.profile_id)
      RETURNING sm.segment_id, sm.profile_id
    ), segment AS (
      SELECT s.id, s.version FROM unnest(${segmentIds}, ${versions}) AS s(id, version)
    ), logged AS (
      INSERT INTO segment_membership_changes (segment_id, profile_id, change, at, run_id, definition_version)
      SELECT e.segment_id, e.profile_id, 'ENTERED'::"MembershipChange", ${at}, ${run}, s.version FROM entered e JOIN segment s ON s.id = e.segment_id
      UNION ALL
      SELECT d.segment_id, d.profile_id, 'LEFT'::"MembershipChange", ${at}, ${run}, s.version FROM departed d JOIN segment s ON s.id = d.segment_id
    ), moved AS (
      SELECT s.id,
             (SELECT count(*) FROM entered e WHERE e.segment_id = s.id)::int AS entered,
             (SELECT count(*) FROM departed d WHERE d.segment_id = s.id)::int AS left
        FROM segment s
    ), counted AS (
      UPDATE segments t SET member_count = t.member_count + m.entered - m.left
        FROM moved m WHERE t.id = m.id AND m.entered <> m.left
      RETURNING t.id, t.member_count
    ), finished AS (
      -- Undone with the rest if anything after fails; a failure recorded later overwrites it.
      -- clock_timestamp(): now() is the start of the transaction.
      UPDATE segment_runs SET status = 'SUCCEEDED', finished_at = clock_timestamp() WHERE id = ${run}
    )
    SELECT m.id, m.entered, m.left, coalesce(c.member_count, t.member_count) AS members
      FROM moved m JOIN segments t ON t.id = m.id LEFT JOIN counted c ON c.id = m.id`;
  // A prepared statement, named after its text (which holds no values, only the shape of the rules):
  // planning this many conditions costs more than running them for a few profiles. Not on PGlite:
  // its connections share one backend, so a name one connection prepared exists for the others, which
  // do not know it and fail preparing it again.
  const name = databaseKind() === 'pglite' ? undefined : `tagwise_profiles_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
  const result = await client.query<{ id: number; entered: number; left: number; members: number }>({ name, text: sql, values: params });
  const ms = Math.round(performance.now() - started);
  const byId = new Map(result.rows.map((r) => [r.id, r]));
  return batch.map(({ segment }) => {
    const counts = byId.get(segment.id)!;
    return { id: segment.id, name: segment.name, members: counts.members, entered: counts.entered, left: counts.left, ms };
  });
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
    const parsed = parseSegmentRules(segment.rules, catalog);
    if (!parsed.ok) throw new Error(`invalid rules: ${describeProblems(parsed.problems)}`);
    return await withTransaction(async (client) => {
      const counts = await swapMembership(client, segment, runId, clock, timeZone, parsed.tree);
      const ms = Math.round(performance.now() - started);
      // Recorded with the swap, and the run's heartbeat with them.
      await client.query(
        `WITH result AS (
           INSERT INTO segment_run_results (run_id, segment_id, members, entered, "left", ms, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         )
         UPDATE segment_runs SET heartbeat_at = clock_timestamp() WHERE id = $1`,
        [runId, segment.id, counts.members, counts.entered, counts.left, ms, clock.toISOString()],
      );
      return { ...base, ...counts, ms };
    });
  } catch (error) {
    const message = (error as Error).message;
    const ms = Math.round(performance.now() - started);
    // The segment keeps its members; the error is shown on it and in the run.
    const recorded = await getPool().query<{ members: number }>(
      `WITH segment AS (
         UPDATE segments SET last_error = $2 WHERE id = $1 RETURNING member_count
       ), result AS (
         INSERT INTO segment_run_results (run_id, segment_id, members, entered, "left", ms, error, at)
         VALUES ($3, $1, coalesce((SELECT member_count FROM segment), 0), 0, 0, $4, $2, $5)
         RETURNING members
       ), beat AS (
         UPDATE segment_runs SET heartbeat_at = clock_timestamp() WHERE id = $3
       )
       SELECT members FROM result`,
      [segment.id, message, runId, ms, clock.toISOString()],
    );
    return { ...base, members: recorded.rows[0]!.members, entered: 0, left: 0, ms, error: message };
  }
}

/**
 * One segment, all profiles: compute the matching set, add the newcomers, remove the leavers, log
 * both, store the count; one statement, so a crash leaves the old or the new membership.
 */
async function swapMembership(
  client: pg.PoolClient,
  segment: SegmentRow,
  runId: number,
  clock: Date,
  timeZone: string,
  tree: Group,
): Promise<{ members: number; entered: number; left: number }> {
  // Swaps of one segment take turns (a full run and a per-profile one may overlap otherwise).
  // Merging the two sides in profile order is about twice as fast as hashing either, once a segment
  // has a few hundred thousand members; the planner would hash.
  await client.query(
    `SELECT set_config('jit', 'off', true), set_config('work_mem', $2, true), set_config('enable_hashjoin', 'off', true) FROM segments WHERE id = $1 FOR UPDATE`,
    [segment.id, WORK_MEM],
  );
  // Pins lock the segment row too, so the pins read now hold until this transaction ends.
  const pinned = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM segment_pins WHERE segment_id = $1) AS any`, [segment.id]);
  const fixed: unknown[] = [clock.toISOString(), segment.id, runId, segment.version];
  const { where, params } = compileRules(tree, clock, { paramOffset: fixed.length, timeZone });
  const [at, seg, run, version] = ['$1::timestamptz', '$2::int', '$3::int', '$4::int'];
  // Pins override the rules (lib/segments/pins.ts): unpinned profiles that match, plus those pinned IN.
  // Two disjoint branches: "rules OR EXISTS (pin)" cannot be planned as a join. NOT IN (the pins'
  // profile ids are never null) is one look-up in a hashed set per profile, whatever the join settings.
  const matched = pinned.rows[0]!.any
    ? `SELECT p.id AS profile_id FROM profiles p
        WHERE (${where}) AND p.id NOT IN (SELECT sp.profile_id FROM segment_pins sp WHERE sp.segment_id = ${seg})
       UNION ALL
       SELECT sp.profile_id FROM segment_pins sp WHERE sp.segment_id = ${seg} AND sp.mode = 'IN'`
    : `SELECT p.id AS profile_id FROM profiles p WHERE ${where}`;
  const sql = `
    WITH diff AS MATERIALIZED (
      -- One pass: a full join of the matching profiles with the current members, both in profile
      -- order, finds the newcomers (no member row) and the leavers (no match) at once.
      SELECT count(m.profile_id)::int AS members,
             coalesce(array_agg(m.profile_id) FILTER (WHERE c.profile_id IS NULL), '{}') AS entering,
             coalesce(array_agg(c.profile_id) FILTER (WHERE m.profile_id IS NULL), '{}') AS leaving
        FROM (SELECT profile_id FROM (${matched}) rules ORDER BY profile_id) m
        FULL JOIN (SELECT sm.profile_id FROM segment_memberships sm WHERE sm.segment_id = ${seg} ORDER BY sm.profile_id) c ON c.profile_id = m.profile_id
    ), entered AS (
      -- ON CONFLICT only guards against races.
      INSERT INTO segment_memberships (segment_id, profile_id, entered_at, run_id)
      SELECT ${seg}, x.id, ${at}, ${run} FROM diff, unnest(diff.entering) AS x(id)
      ON CONFLICT (segment_id, profile_id) DO NOTHING
      RETURNING profile_id
    ), departed AS (
      DELETE FROM segment_memberships sm USING diff, unnest(diff.leaving) AS x(id)
       WHERE sm.segment_id = ${seg} AND sm.profile_id = x.id
      RETURNING sm.profile_id
    ), logged AS (
      INSERT INTO segment_membership_changes (segment_id, profile_id, change, at, run_id, definition_version)
      SELECT ${seg}, profile_id, 'ENTERED'::"MembershipChange", ${at}, ${run}, ${version} FROM entered
      UNION ALL
      SELECT ${seg}, profile_id, 'LEFT'::"MembershipChange", ${at}, ${run}, ${version} FROM departed
    ), stored AS (
      UPDATE segments SET member_count = diff.members, last_evaluated_at = ${at}, evaluated_version = ${version}, last_error = NULL
        FROM diff WHERE id = ${seg}
    )
    SELECT diff.members, (SELECT count(*) FROM entered)::int AS entered, (SELECT count(*) FROM departed)::int AS left FROM diff`;
  const result = await client.query<{ members: number; entered: number; left: number }>(sql, [...fixed, ...params]);
  return result.rows[0]!;
}
