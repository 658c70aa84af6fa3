import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { evaluateProfiles, runSegmentEvaluation } from './evaluate';

useTestDatabase();

/**
 * evaluateProfiles evaluates all segments of one dependency level in one statement, and all levels
 * in one transaction; these tests pin down that it still behaves like one segment after another.
 */
const T0 = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;

async function query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await getPool().query(sql, params)).rows as T[];
}
async function addProfile(externalId: string, orders: number, country = 'United Kingdom'): Promise<number> {
  const [row] = await query<{ id: number }>(`INSERT INTO profiles (external_id, order_count, country) VALUES ($1, $2, $3) RETURNING id`, [
    externalId,
    orders,
    country,
  ]);
  return row!.id;
}
async function addSegment(name: string, rules: unknown): Promise<number> {
  const [row] = await query<{ id: number }>(`INSERT INTO segments (name, rules, updated_at) VALUES ($1, $2, now()) RETURNING id`, [name, JSON.stringify(rules)]);
  return row!.id;
}
async function members(segmentId: number): Promise<string[]> {
  const rows = await query<{ external_id: string }>(
    `SELECT p.external_id FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 ORDER BY 1`,
    [segmentId],
  );
  return rows.map((r) => r.external_id);
}
async function memberCount(segmentId: number): Promise<number> {
  const [row] = await query<{ member_count: number }>(`SELECT member_count FROM segments WHERE id = $1`, [segmentId]);
  return row!.member_count;
}
async function pin(segmentId: number, profileId: number, mode: 'IN' | 'OUT') {
  await query(`INSERT INTO segment_pins (segment_id, profile_id, mode, reason) VALUES ($1, $2, $3::"PinMode", 'test')`, [segmentId, profileId, mode]);
}
const all = (...rules: unknown[]) => ({ combinator: 'and', rules });
const orders = (n: number) => ({ field: 'orderCount', operator: '>=', value: n });
const inSegment = (id: number, operator: 'in' | 'notIn' = 'in') => ({ field: 'segment', operator, value: id });

describe('re-evaluating some profiles against many segments at once', () => {
  beforeEach(async () => {
    await query('TRUNCATE profiles, segments, segment_runs RESTART IDENTITY CASCADE');
    await query(`DROP TRIGGER IF EXISTS refuse_members ON segment_memberships`);
  });

  it('follows the dependency chain within one call (whatever the ids), respects pins in every segment, and logs each move once', async () => {
    const ann = await addProfile('ann', 1);
    const ben = await addProfile('ben', 1);
    const cat = await addProfile('cat', 1, 'France');
    // The chain runs against the ids: "not UK repeat" (the lowest id) reads "UK repeat", which reads "repeat".
    const notUkRepeat = await addSegment('Not UK repeat', all(orders(100)));
    const repeat = await addSegment('Repeat', all(orders(2)));
    const ukRepeat = await addSegment('UK repeat', all(inSegment(repeat), { field: 'country', operator: '=', value: 'United Kingdom' }));
    await query(`UPDATE segments SET rules = $2, version = 4 WHERE id = $1`, [notUkRepeat, JSON.stringify(all(inSegment(ukRepeat, 'notIn')))]);
    const independent = await addSegment('Three orders', all(orders(3)));
    await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    expect(await members(repeat)).toEqual([]);
    expect(await members(notUkRepeat)).toEqual(['ann', 'ben', 'cat']);

    // ben is kept out of "repeat" by a pin; cat is kept in "UK repeat" though she lives in France.
    await pin(repeat, ben, 'OUT');
    await pin(ukRepeat, cat, 'IN');
    await query(`UPDATE profiles SET order_count = 3 WHERE id = ANY($1)`, [[ann, ben, cat]]);
    const result = await evaluateProfiles([ann, ben, cat], { now: T0 });

    expect(await members(repeat)).toEqual(['ann', 'cat']);
    expect(await members(ukRepeat)).toEqual(['ann', 'cat']); // ann through "repeat"'s new tag, cat by her pin
    expect(await members(notUkRepeat)).toEqual(['ben']); // reads "UK repeat" as it is after this call
    expect(await members(independent)).toEqual(['ann', 'ben', 'cat']);
    expect(result?.segments.map((s) => s.name)).toEqual(['Repeat', 'Three orders', 'UK repeat', 'Not UK repeat']);
    expect(result?.segments.find((s) => s.id === notUkRepeat)).toMatchObject({ entered: 0, left: 2, members: 1 });
    expect(result?.segments.find((s) => s.id === repeat)).toMatchObject({ entered: 2, left: 0, members: 2 });
    for (const id of [repeat, ukRepeat, notUkRepeat, independent]) expect(await memberCount(id)).toBe((await members(id)).length);

    const [run] = await query<{ id: number; trigger: string; status: string; error: string | null; finished: boolean }>(
      `SELECT id, trigger, status, error, finished_at >= started_at AS finished FROM segment_runs WHERE id = $1`,
      [result!.runId],
    );
    expect(run).toEqual({ id: result!.runId, trigger: 'PROFILE_UPDATE', status: 'SUCCEEDED', error: null, finished: true });
    const changes = await query<{ segment_id: number; external_id: string; change: string; run_id: number; definition_version: number; at: Date }>(
      `SELECT c.segment_id, p.external_id, c.change, c.run_id, c.definition_version, c.at
         FROM segment_membership_changes c JOIN profiles p ON p.id = c.profile_id
        WHERE c.run_id = $1 ORDER BY c.segment_id, p.external_id`,
      [result!.runId],
    );
    const at = T0;
    expect(changes).toEqual([
      { segment_id: notUkRepeat, external_id: 'ann', change: 'LEFT', run_id: result!.runId, definition_version: 4, at },
      { segment_id: notUkRepeat, external_id: 'cat', change: 'LEFT', run_id: result!.runId, definition_version: 4, at },
      { segment_id: repeat, external_id: 'ann', change: 'ENTERED', run_id: result!.runId, definition_version: 1, at },
      { segment_id: repeat, external_id: 'cat', change: 'ENTERED', run_id: result!.runId, definition_version: 1, at },
      { segment_id: ukRepeat, external_id: 'ann', change: 'ENTERED', run_id: result!.runId, definition_version: 1, at },
      { segment_id: ukRepeat, external_id: 'cat', change: 'ENTERED', run_id: result!.runId, definition_version: 1, at },
      ...['ann', 'ben', 'cat'].map((external_id) => ({ segment_id: independent, external_id, change: 'ENTERED', run_id: result!.runId, definition_version: 1, at })),
    ]);

    // Nothing new: the same call moves no one and logs nothing.
    const again = await evaluateProfiles([ann, ben, cat], { now: T0 });
    expect(again?.segments.every((s) => s.entered === 0 && s.left === 0)).toBe(true);
    expect(await query(`SELECT 1 FROM segment_membership_changes WHERE run_id = $1`, [again!.runId])).toEqual([]);
  });

  it('leaves the other profiles alone, ignores ids that are not profiles, and skips paused segments', async () => {
    const ann = await addProfile('ann', 5);
    const ben = await addProfile('ben', 5);
    const repeat = await addSegment('Repeat', all(orders(2)));
    const paused = await addSegment('Paused', all(orders(1)));
    await query(`UPDATE segments SET status = 'PAUSED' WHERE id = $1`, [paused]);
    const result = await evaluateProfiles([ann, 987_654], { now: T0 });
    expect(result?.segments.map((s) => s.id)).toEqual([repeat]);
    expect(await members(repeat)).toEqual(['ann']); // ben matches too, but had no new data
    expect(await members(paused)).toEqual([]);
    expect(await memberCount(repeat)).toBe(1);
    expect(ben).toBeGreaterThan(0);
  });

  it('with no active segment, records a finished run and moves nothing', async () => {
    const ann = await addProfile('ann', 5);
    const result = await evaluateProfiles([ann], { now: T0 });
    expect(result?.segments).toEqual([]);
    expect(await query(`SELECT trigger, status FROM segment_runs WHERE id = $1 AND finished_at IS NOT NULL`, [result!.runId])).toEqual([
      { trigger: 'PROFILE_UPDATE', status: 'SUCCEEDED' },
    ]);
  });

  it('reads day boundaries in the workspace time zone', async () => {
    // 23:30 UTC on May 31 is already June 1 in Paris.
    const [row] = await query<{ id: number }>(`INSERT INTO profiles (external_id, created_at) VALUES ('late', '2026-05-31T23:30:00Z') RETURNING id`);
    const juneFirst = await addSegment('Joined on June 1', all({ field: 'createdAt', operator: 'on', value: '2026-06-01' }));
    await evaluateProfiles([row!.id], { now: T0 });
    expect(await members(juneFirst)).toEqual([]);
    await query(`INSERT INTO settings (key, value, updated_at) VALUES ('workspace.timeZone', '"Europe/Paris"', now())`);
    try {
      await evaluateProfiles([row!.id], { now: T0 });
      expect(await members(juneFirst)).toEqual(['late']);
    } finally {
      await query(`DELETE FROM settings WHERE key = 'workspace.timeZone'`);
    }
  });

  it('a segment that fails is recorded in the run and keeps its tags; the others, before and after it, still move', async () => {
    const ann = await addProfile('ann', 1);
    const repeat = await addSegment('Repeat', all(orders(2)));
    const failing = await addSegment('Failing', all(orders(1)));
    const dependent = await addSegment('Not failing', all(inSegment(failing, 'notIn'), orders(1)));
    const later = await addSegment('Repeat in UK', all(inSegment(repeat), { field: 'country', operator: '=', value: 'United Kingdom' }));
    // Any write of a tag of "Failing" fails, as a statement of one segment can fail at run time.
    await query(`CREATE OR REPLACE FUNCTION refuse_members() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.segment_id = ${failing} THEN RAISE EXCEPTION 'no tags for this segment'; END IF; RETURN NEW; END $$`);
    await query(`CREATE TRIGGER refuse_members BEFORE INSERT ON segment_memberships FOR EACH ROW EXECUTE FUNCTION refuse_members()`);
    await query(`UPDATE profiles SET order_count = 4 WHERE id = $1`, [ann]);

    const result = await evaluateProfiles([ann], { now: new Date(T0.getTime() + DAY) });
    expect(result?.segments.map((s) => s.name)).toEqual(['Repeat', 'Not failing', 'Repeat in UK']);
    expect(await members(repeat)).toEqual(['ann']);
    expect(await members(later)).toEqual(['ann']);
    expect(await members(failing)).toEqual([]);
    expect(await members(dependent)).toEqual(['ann']); // read "Failing" as it stayed
    const [run] = await query<{ status: string; error: string }>(`SELECT status, error FROM segment_runs WHERE id = $1`, [result!.runId]);
    expect(run).toEqual({ status: 'FAILED', error: 'Failing: no tags for this segment' });
    const logged = await query<{ segment_id: number }>(`SELECT DISTINCT segment_id FROM segment_membership_changes WHERE run_id = $1 ORDER BY 1`, [result!.runId]);
    expect(logged.map((r) => r.segment_id)).toEqual([repeat, dependent, later]);
    // Only this call's run: the attempt that failed left no run behind.
    expect(await query(`SELECT id FROM segment_runs`)).toEqual([{ id: result!.runId }]);
  });
});

describe('a full run over all profiles', () => {
  beforeEach(async () => {
    await query('TRUNCATE profiles, segments, segment_runs RESTART IDENTITY CASCADE');
  });

  it('adds newcomers and removes leavers in the same swap, and records the counts with the run', async () => {
    const ann = await addProfile('ann', 5);
    const ben = await addProfile('ben', 5);
    const cat = await addProfile('cat', 1);
    const repeat = await addSegment('Repeat', all(orders(2)));
    await pin(repeat, ben, 'OUT');
    const first = await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    expect(first.status === 'completed' && first.segments[0]).toMatchObject({ members: 1, entered: 1, left: 0 });

    await query(`UPDATE profiles SET order_count = CASE external_id WHEN 'ann' THEN 0 ELSE 9 END`);
    const second = await runSegmentEvaluation({ trigger: 'SCHEDULE', now: new Date(T0.getTime() + DAY) });
    if (second.status !== 'completed') throw new Error('busy');
    expect(second.segments[0]).toMatchObject({ members: 1, entered: 1, left: 1 });
    expect(await members(repeat)).toEqual(['cat']);
    expect(await memberCount(repeat)).toBe(1);
    const moves = await query(`SELECT profile_id, change FROM segment_membership_changes WHERE run_id = $1 ORDER BY change`, [second.runId]);
    expect(moves).toEqual([
      { profile_id: cat, change: 'ENTERED' },
      { profile_id: ann, change: 'LEFT' },
    ]);
    const results = await query(`SELECT segment_id, members, entered, "left", error FROM segment_run_results WHERE run_id = $1`, [second.runId]);
    expect(results).toEqual([{ segment_id: repeat, members: 1, entered: 1, left: 1, error: null }]);
    const [run] = await query(`SELECT status, heartbeat_at >= started_at AS beat FROM segment_runs WHERE id = $1`, [second.runId]);
    expect(run).toEqual({ status: 'SUCCEEDED', beat: true });
  });
});
