import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { evaluateProfiles, runSegmentEvaluation } from './evaluate';

useTestDatabase();

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T12:00:00Z');
const recentBuyers = { combinator: 'and', rules: [{ field: 'event:order', operator: 'atLeast', value: { count: 1, days: 30 } }] };

async function addProfile(externalId: string): Promise<number> {
  return (await getPool().query<{ id: number }>(`INSERT INTO profiles (external_id) VALUES ($1) RETURNING id`, [externalId])).rows[0]!.id;
}
async function addOrder(profileId: number, at: Date) {
  await getPool().query(`INSERT INTO events (profile_id, type, occurred_at, revenue) VALUES ($1, 'order', $2, 10)`, [profileId, at.toISOString()]);
}
async function addSegment(name: string, rules: unknown): Promise<number> {
  return (await getPool().query<{ id: number }>(`INSERT INTO segments (name, rules, updated_at) VALUES ($1, $2, now()) RETURNING id`, [name, JSON.stringify(rules)])).rows[0]!.id;
}
async function members(segmentId: number): Promise<string[]> {
  const r = await getPool().query(`SELECT p.external_id FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 ORDER BY 1`, [segmentId]);
  return r.rows.map((x) => x.external_id);
}
const memberCount = async (id: number) => (await getPool().query(`SELECT member_count FROM segments WHERE id = $1`, [id])).rows[0].member_count;

describe('re-evaluating only the profiles with new data', () => {
  beforeEach(async () => {
    await getPool().query('TRUNCATE profiles, segments, segment_runs RESTART IDENTITY CASCADE');
  });

  it('moves just those profiles, in every active segment and its dependents, and keeps the member count right', async () => {
    const ann = await addProfile('ann');
    const ben = await addProfile('ben');
    await addOrder(ben, new Date(T0.getTime() - 20 * DAY));
    const recent = await addSegment('Recent buyers', recentBuyers);
    const notRecent = await addSegment('Not recent', { combinator: 'and', rules: [{ field: 'segment', operator: 'notIn', value: recent }] });
    await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    expect(await members(recent)).toEqual(['ben']);

    // Ten days on, ann orders; ben's order is now 30+ days old, but ben has no new data.
    const later = new Date(T0.getTime() + 11 * DAY);
    await addOrder(ann, new Date(later.getTime() - 60_000));
    const result = await evaluateProfiles([ann], { now: later });
    expect(result?.segments.find((s) => s.id === recent)).toMatchObject({ entered: 1, left: 0, members: 2 });
    expect(result?.segments.find((s) => s.id === notRecent)).toMatchObject({ entered: 0, left: 1, members: 0 });
    expect(await members(recent)).toEqual(['ann', 'ben']); // ben leaves at the next full run, not here
    expect(await memberCount(recent)).toBe(2);

    const full = await runSegmentEvaluation({ trigger: 'SCHEDULE', now: later });
    expect(full.status === 'completed' && full.segments.find((s) => s.id === recent)).toMatchObject({ members: 1, entered: 0, left: 1 });
    expect(await memberCount(recent)).toBe(1);
    const changes = await getPool().query(`SELECT r.trigger FROM segment_membership_changes c JOIN segment_runs r ON r.id = c.run_id WHERE c.profile_id = $1`, [ann]);
    expect(changes.rows.map((r) => r.trigger)).toContain('PROFILE_UPDATE');
  });

  it('is not held back by a full run in progress, and does not block one', async () => {
    const ann = await addProfile('ann');
    const recent = await addSegment('Recent buyers', recentBuyers);
    await getPool().query(`INSERT INTO segment_runs (trigger, status, clock) VALUES ('SCHEDULE', 'RUNNING', now())`);
    await addOrder(ann, new Date(T0.getTime() - DAY));
    expect((await evaluateProfiles([ann], { now: T0 }))?.segments[0]).toMatchObject({ entered: 1 });
    expect(await members(recent)).toEqual(['ann']);
    await getPool().query(`UPDATE segment_runs SET status = 'FAILED' WHERE trigger = 'SCHEDULE'`);
    await getPool().query(`INSERT INTO segment_runs (trigger, status, clock) VALUES ('PROFILE_UPDATE', 'RUNNING', now())`);
    expect((await runSegmentEvaluation({ trigger: 'SCHEDULE', now: T0 })).status).toBe('completed');
    // A full run after an import (DATA_CHANGE) is a full run: it holds the lock like any other.
    await getPool().query(`INSERT INTO segment_runs (trigger, status, clock) VALUES ('DATA_CHANGE', 'RUNNING', now())`);
    expect((await runSegmentEvaluation({ trigger: 'SCHEDULE', now: T0 })).status).toBe('busy');
  });

  it('ignores an empty or invalid list of ids', async () => {
    expect(await evaluateProfiles([])).toBeNull();
    expect(await evaluateProfiles([0, -1, 1.5])).toBeNull();
  });
});
