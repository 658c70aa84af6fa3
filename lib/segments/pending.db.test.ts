import { beforeEach, describe, expect, it } from 'vitest';
import { getPool, withTransaction } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { parseBatch } from '../tracking/calls';
import { ingestCalls } from '../tracking/ingest';
import { runSegmentEvaluation } from './evaluate';
import { evaluatePendingProfiles, pendingEvaluations, queueProfileEvaluation, vacuumQueue } from './pending';
import { listRuns, realtimeActivity } from './queries';
import { evaluationRequested, evaluationSettled } from './realtime';

const db = useTestDatabase();

const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await getPool().query(sql, params)).rows as T[];
const repeat = { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 2 }] };

async function addSegment(name: string, rules: unknown): Promise<number> {
  return (await q<{ id: number }>(`INSERT INTO segments (name, rules, updated_at) VALUES ($1, $2, now()) RETURNING id`, [name, JSON.stringify(rules)]))[0]!.id;
}
async function members(segmentId: number): Promise<string[]> {
  return (await q<{ external_id: string }>(`SELECT p.external_id FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 ORDER BY 1`, [segmentId])).map(
    (r) => r.external_id,
  );
}
/** Two orders for each user, as the tracking API stores them (queued in the same transaction). */
async function track(users: string[], prefix = 'm'): Promise<void> {
  const batch = users.flatMap((userId) => [1, 2].map((n) => ({ type: 'track', userId, event: 'Order Completed', messageId: `${prefix}-${userId}-${n}`, properties: { revenue: 10 } })));
  const parsed = parseBatch({ batch }, new Date());
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  await ingestCalls(parsed.calls);
}

beforeEach(async () => {
  await evaluationSettled();
  await q('TRUNCATE profiles, events, segments, segment_runs, profile_identities, tracking_messages, profile_evaluation_queue RESTART IDENTITY CASCADE');
  await q(`DROP TRIGGER IF EXISTS refuse_members ON segment_memberships`);
});

describe('the queue of profiles awaiting re-evaluation', () => {
  it('a stored change is queued with its data; a later pass (after a crash: the next process) tags it and empties the queue', async () => {
    const segment = await addSegment('Repeat', repeat);
    await track(['ann', 'ben']);
    // Nothing has woken a worker (as when the process died right after the commit): the change waits.
    expect(await members(segment)).toEqual([]);
    expect((await pendingEvaluations(getPool())).queued).toBe(2);

    const pass = await evaluatePendingProfiles();
    expect(pass).toMatchObject({ claimed: 2, profiles: 2 });
    expect(pass.oldestQueuedAt).toBeInstanceOf(Date);
    expect(await members(segment)).toEqual(['ann', 'ben']);
    expect(await pendingEvaluations(getPool())).toEqual({ queued: 0, oldestQueuedAt: null });
    expect(await q(`SELECT member_count FROM segments`)).toEqual([{ member_count: 2 }]);
    expect(await q(`SELECT trigger, status FROM segment_runs`)).toEqual([{ trigger: 'PROFILE_UPDATE', status: 'SUCCEEDED' }]);

    // An empty queue: no run, no transaction's worth of work.
    expect(await evaluatePendingProfiles()).toMatchObject({ claimed: 0, runId: null });
    expect(await q(`SELECT count(*)::int AS n FROM segment_runs`)).toEqual([{ n: 1 }]);
  });

  it('a change whose transaction rolls back queues nothing', async () => {
    const [p] = await q<{ id: number }>(`INSERT INTO profiles (external_id) VALUES ('cid') RETURNING id`);
    await expect(
      withTransaction(async (client) => {
        await queueProfileEvaluation(client, [p!.id]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await pendingEvaluations(getPool())).queued).toBe(0);
  });

  it('a pass takes at most its limit; the rest stay queued for the next, and each profile is evaluated once per pass', async () => {
    const segment = await addSegment('Repeat', repeat);
    await track(['a', 'b', 'c']);
    const [b] = await q<{ id: number }>(`SELECT id FROM profiles WHERE external_id = 'b'`);
    await withTransaction((client) => queueProfileEvaluation(client, [b!.id, b!.id]));
    expect((await pendingEvaluations(getPool())).queued).toBe(4); // one per request and profile: appended, never merged

    expect(await evaluatePendingProfiles({ limit: 2 })).toMatchObject({ claimed: 2, profiles: 2 });
    expect(await members(segment)).toEqual(['a', 'b']);
    expect(await evaluatePendingProfiles({ limit: 2 })).toMatchObject({ claimed: 2, profiles: 2 }); // c, and b again
    expect(await members(segment)).toEqual(['a', 'b', 'c']);
    expect((await pendingEvaluations(getPool())).queued).toBe(0);
  });

  it('a profile merged away while queued is skipped without error', async () => {
    const segment = await addSegment('Repeat', repeat);
    await track(['gone', 'kept']);
    await q(`DELETE FROM profiles WHERE external_id = 'gone'`);
    expect(await evaluatePendingProfiles()).toMatchObject({ claimed: 2, profiles: 2 });
    expect(await members(segment)).toEqual(['kept']);
  });

  it('a failing segment is recorded, the others move, and the queue still drains', async () => {
    const good = await addSegment('Repeat', repeat);
    const failing = await addSegment('Failing', repeat);
    await q(`CREATE OR REPLACE FUNCTION refuse_members() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.segment_id = ${failing} THEN RAISE EXCEPTION 'no tags for this segment'; END IF; RETURN NEW; END $$`);
    await q(`CREATE TRIGGER refuse_members BEFORE INSERT ON segment_memberships FOR EACH ROW EXECUTE FUNCTION refuse_members()`);
    await track(['ann']);

    const pass = await evaluatePendingProfiles();
    expect(pass.claimed).toBe(1);
    expect(await members(good)).toEqual(['ann']);
    expect(await members(failing)).toEqual([]);
    expect(await q(`SELECT status, error FROM segment_runs WHERE id = $1`, [pass.runId])).toEqual([{ status: 'FAILED', error: 'Failing: no tags for this segment' }]);
    expect((await pendingEvaluations(getPool())).queued).toBe(0);
  });

  it('a pass that cannot run at all leaves its rows queued', async () => {
    const segment = await addSegment('Repeat', repeat);
    await track(['ann']);
    // Every statement of the pass fails, both attempts: as when the database goes away mid-pass.
    await q(`CREATE OR REPLACE FUNCTION refuse_members() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'down'; END $$`);
    await q(`CREATE TRIGGER refuse_members BEFORE INSERT ON segment_runs FOR EACH ROW EXECUTE FUNCTION refuse_members()`);
    try {
      await expect(evaluatePendingProfiles()).rejects.toThrow('down');
      expect((await pendingEvaluations(getPool())).queued).toBe(1);
    } finally {
      await q(`DROP TRIGGER refuse_members ON segment_runs`);
    }
    await evaluatePendingProfiles();
    expect(await members(segment)).toEqual(['ann']);
  });

  it('concurrent passes (other processes) take disjoint rows, and together tag everyone once', async () => {
    const segment = await addSegment('Repeat', repeat);
    const users = Array.from({ length: 40 }, (_, i) => `u${String(i).padStart(2, '0')}`);
    for (let i = 0; i < users.length; i += 5) await track(users.slice(i, i + 5), `c${i}`);
    const passes = await Promise.all(Array.from({ length: 4 }, () => evaluatePendingProfiles({ limit: 5 })));
    const rest = [];
    for (let pass = await evaluatePendingProfiles(); pass.claimed > 0; pass = await evaluatePendingProfiles()) rest.push(pass);
    expect([...passes, ...rest].reduce((n, p) => n + p.claimed, 0)).toBe(40);
    expect(await members(segment)).toEqual(users);
    expect(await q(`SELECT member_count FROM segments`)).toEqual([{ member_count: 40 }]);
    expect(await q(`SELECT count(*)::int AS n FROM segment_membership_changes`)).toEqual([{ n: 40 }]);
    if (db.current.kind === 'postgresql') expect(passes.filter((p) => p.claimed > 0).length).toBeGreaterThan(1);
  });
});

describe('the real-time worker', () => {
  it('a request to evaluate starts a pass; requests made during a pass are served by one more pass, not lost', async () => {
    const segment = await addSegment('Repeat', repeat);
    await track(['w1']);
    evaluationRequested();
    // While that pass runs, more changes arrive and ask again.
    await track(['w2']);
    evaluationRequested();
    await track(['w3']);
    evaluationRequested();
    await evaluationSettled();
    expect(await members(segment)).toEqual(['w1', 'w2', 'w3']);
    expect((await pendingEvaluations(getPool())).queued).toBe(0);
    const runs = await q<{ n: number }>(`SELECT count(*)::int AS n FROM segment_runs WHERE trigger = 'PROFILE_UPDATE'`);
    expect(runs[0]!.n).toBeLessThanOrEqual(3);
  });

  it('evaluationSettled waits for a pass that started after it was called', async () => {
    const segment = await addSegment('Late', repeat);
    evaluationRequested(); // a pass starts with an empty queue
    await track(['late']); // committed while that pass may already have claimed
    await evaluationSettled();
    expect(await members(segment)).toContain('late');
  });
});

describe('what the runs page shows of it', () => {
  it('full runs are listed without the passes; the passes are summed up, with what waits', async () => {
    const segment = await addSegment('Repeat', repeat);
    await runSegmentEvaluation({ trigger: 'MANUAL' });
    await track(['r1', 'r2']);
    await evaluatePendingProfiles();
    await track(['r1'], 'again'); // r1 again: a pass that moves nothing leaves no run
    expect(await evaluatePendingProfiles()).toMatchObject({ claimed: 1, runId: null });
    await track(['r3']); // queued, not yet evaluated
    await q(`UPDATE profile_evaluation_queue SET queued_at = now() - interval '5 seconds'`);

    const runs = await listRuns(10);
    expect(runs.map((r) => r.trigger)).toEqual(['MANUAL']);
    const activity = await realtimeActivity();
    expect(activity).toMatchObject({ passes: 1, failed: 0, lastError: null, entered: 2, left: 0, queued: 1 });
    expect(Date.now() - activity.oldestQueuedAt!.getTime()).toBeGreaterThanOrEqual(4_000);
    expect(await members(segment)).toEqual(['r1', 'r2']);

    await vacuumQueue(); // allowed to the app's own user, outside a transaction, on either database
    await evaluatePendingProfiles();
    expect(await realtimeActivity()).toMatchObject({ passes: 2, entered: 3, queued: 0, oldestQueuedAt: null });
  });
});
