import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { failInterruptedRuns, runSegmentEvaluation } from './evaluate';

useTestDatabase();

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2026-06-01T12:00:00Z');

async function addProfile(externalId: string, country: string | null = 'United Kingdom'): Promise<number> {
  const r = await getPool().query<{ id: number }>(`INSERT INTO profiles (external_id, country) VALUES ($1, $2) RETURNING id`, [externalId, country]);
  return r.rows[0]!.id;
}
async function addOrder(profileId: number, at: Date): Promise<void> {
  await getPool().query(`INSERT INTO events (profile_id, type, occurred_at, revenue) VALUES ($1, 'order', $2, 10)`, [profileId, at.toISOString()]);
}
async function addSegment(name: string, rules: unknown): Promise<number> {
  const r = await getPool().query<{ id: number }>(`INSERT INTO segments (name, rules, updated_at) VALUES ($1, $2, now()) RETURNING id`, [name, JSON.stringify(rules)]);
  return r.rows[0]!.id;
}
async function members(segmentId: number): Promise<string[]> {
  const r = await getPool().query<{ external_id: string }>(
    `SELECT p.external_id FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 ORDER BY 1`,
    [segmentId],
  );
  return r.rows.map((x) => x.external_id);
}
const recentBuyers = { combinator: 'and', rules: [{ field: 'event:order', operator: 'atLeast', value: { count: 1, days: 30 } }] };

describe('segment evaluation', () => {
  beforeEach(async () => {
    await getPool().query('TRUNCATE profiles, segments, segment_runs RESTART IDENTITY CASCADE');
  });

  it('tags matching profiles, then records leaving when time passes without new data', async () => {
    const alice = await addProfile('alice');
    await addProfile('bob');
    await addOrder(alice, new Date(T0.getTime() - 5 * DAY));
    const seg = await addSegment('Recent buyers', recentBuyers);

    const first = await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    expect(first.status).toBe('completed');
    if (first.status !== 'completed') return;
    expect(first.segments).toEqual([expect.objectContaining({ id: seg, members: 1, entered: 1, left: 0 })]);
    expect(await members(seg)).toEqual(['alice']);

    // Same clock, no new data: nothing moves.
    const idle = await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    expect(idle.status === 'completed' && idle.segments[0]).toMatchObject({ members: 1, entered: 0, left: 0 });

    // 26 days later alice's only order is 31 days old: she leaves, with no new data at all.
    const later = await runSegmentEvaluation({ trigger: 'SCHEDULE', now: new Date(T0.getTime() + 26 * DAY) });
    expect(later.status === 'completed' && later.segments[0]).toMatchObject({ members: 0, entered: 0, left: 1 });
    expect(await members(seg)).toEqual([]);

    const history = await getPool().query(
      `SELECT change, run_id FROM segment_membership_changes WHERE segment_id = $1 ORDER BY id`,
      [seg],
    );
    expect(history.rows.map((r) => r.change)).toEqual(['ENTERED', 'LEFT']);
    expect(history.rows[1].run_id).toBe(later.status === 'completed' ? later.runId : -1);
  });

  it('a new order brings a profile in at the next run', async () => {
    const bob = await addProfile('bob');
    const seg = await addSegment('Recent buyers', recentBuyers);
    await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    expect(await members(seg)).toEqual([]);
    await addOrder(bob, new Date(T0.getTime() - DAY));
    const run = await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    expect(run.status === 'completed' && run.segments[0]).toMatchObject({ entered: 1, left: 0 });
  });

  it('refuses a second run while one is in progress, and recovers from an abandoned one', async () => {
    await getPool().query(`INSERT INTO segment_runs (trigger, status, clock) VALUES ('MANUAL', 'RUNNING', now())`);
    const busy = await runSegmentEvaluation({ trigger: 'CRON_ROUTE', now: T0 });
    expect(busy.status).toBe('busy');
    expect(busy.runId).toBe(1);

    await getPool().query(`UPDATE segment_runs SET heartbeat_at = now() - interval '1 hour'`);
    const next = await runSegmentEvaluation({ trigger: 'CRON_ROUTE', now: T0 });
    expect(next.status).toBe('completed');
    expect(next.runId).toBe(2); // the refused call used no run id
    const statuses = await getPool().query(`SELECT status FROM segment_runs ORDER BY id`);
    expect(statuses.rows.map((r) => r.status)).toEqual(['FAILED', 'SUCCEEDED']);
  });

  it('two concurrent runs never overlap and never do the work twice', async () => {
    const p = await addProfile('carol');
    await addOrder(p, new Date(T0.getTime() - DAY));
    await addSegment('Recent buyers', recentBuyers);
    const results = await Promise.all([runSegmentEvaluation({ trigger: 'CRON_ROUTE', now: T0 }), runSegmentEvaluation({ trigger: 'CRON_ROUTE', now: T0 })]);
    // Usually the second finds the first running (busy); on a loaded machine the first may finish
    // before the second starts. Either way the runs never overlap and nothing is done twice.
    const completed = results.filter((r) => r.status === 'completed');
    expect(completed.length).toBeGreaterThanOrEqual(1);
    const runs = await getPool().query(`SELECT started_at, finished_at FROM segment_runs ORDER BY id`);
    for (let i = 1; i < runs.rows.length; i++) expect(runs.rows[i].started_at >= runs.rows[i - 1].finished_at).toBe(true);
    const entered = await getPool().query(`SELECT count(*)::int AS n FROM segment_membership_changes`);
    expect(entered.rows[0].n).toBe(1);
  });

  it('a segment with broken rules reports an error while the others still update', async () => {
    const p = await addProfile('dave');
    await addOrder(p, new Date(T0.getTime() - DAY));
    const broken = await addSegment('Broken', { combinator: 'and', rules: [{ field: 'nope', operator: '=', value: 1 }] });
    const good = await addSegment('Recent buyers', recentBuyers);
    const run = await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    if (run.status !== 'completed') throw new Error('expected a completed run');
    expect(run.segments.find((s) => s.id === broken)?.error).toMatch(/unknown field "nope"/);
    expect(run.segments.find((s) => s.id === good)).toMatchObject({ members: 1, entered: 1 });
    const row = await getPool().query(`SELECT last_error FROM segments WHERE id = $1`, [broken]);
    expect(row.rows[0].last_error).toMatch(/unknown field/);
  });

  it('paused segments are not evaluated', async () => {
    const p = await addProfile('erin');
    await addOrder(p, new Date(T0.getTime() - DAY));
    const seg = await addSegment('Recent buyers', recentBuyers);
    await getPool().query(`UPDATE segments SET status = 'PAUSED' WHERE id = $1`, [seg]);
    const run = await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    expect(run.status === 'completed' && run.segments).toEqual([]);
    expect(await members(seg)).toEqual([]);
  });
});

describe('after a crash', () => {
  it('a run left RUNNING is marked failed at the next start, and the previous membership is intact', async () => {
    await getPool().query('TRUNCATE profiles, segments, segment_runs RESTART IDENTITY CASCADE');
    const p = await addProfile('frank');
    await addOrder(p, new Date(T0.getTime() - DAY));
    const seg = await addSegment('Recent buyers', recentBuyers);
    await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    // A run that died half-way: it holds the lock but never swapped anything.
    await getPool().query(`INSERT INTO segment_runs (trigger, status, clock) VALUES ('SCHEDULE', 'RUNNING', now())`);
    expect((await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 })).status).toBe('busy');
    expect(await failInterruptedRuns()).toBe(1);
    expect(await members(seg)).toEqual(['frank']);
    const next = await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    expect(next.status === 'completed' && next.segments[0]).toMatchObject({ members: 1, entered: 0, left: 0 });
  });
});
