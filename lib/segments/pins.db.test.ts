import { beforeEach, describe, expect, it } from 'vitest';
import { ExpectedError, NotFoundError } from '../auth/errors';
import { getPool } from '../db/pool';
import { resetTables, useTestDatabase } from '../test/database';
import { runSegmentEvaluation } from './evaluate';
import { listPinsForProfile, listPinsForSegment, pinProfile, unpinProfile } from './pins';
import { createSegment, setSegmentStatus } from './service';

useTestDatabase();

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T12:00:00Z');
const later = (days: number) => new Date(T0.getTime() + days * DAY);

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await getPool().query(sql, params)).rows as T[];
}
async function addProfile(externalId: string, orders: number): Promise<number> {
  const [row] = await query<{ id: number }>(`INSERT INTO profiles (external_id, order_count) VALUES ($1, $2) RETURNING id`, [externalId, orders]);
  return row!.id;
}
async function memberIds(segmentId: number): Promise<string[]> {
  const rows = await query<{ external_id: string }>(
    `SELECT p.external_id FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 ORDER BY 1`,
    [segmentId],
  );
  return rows.map((r) => r.external_id);
}
async function changesOf(segmentId: number, profileId: number): Promise<string[]> {
  const rows = await query<{ change: string }>(`SELECT change FROM segment_membership_changes WHERE segment_id = $1 AND profile_id = $2 ORDER BY id`, [
    segmentId,
    profileId,
  ]);
  return rows.map((r) => r.change);
}
async function memberCount(segmentId: number): Promise<number> {
  const [row] = await query<{ member_count: number }>(`SELECT member_count FROM segments WHERE id = $1`, [segmentId]);
  return row!.member_count;
}
async function pinAudit() {
  return query<{ action: string; actor_id: number | null; entity_type: string; entity_id: string; details: Record<string, unknown> }>(
    `SELECT action, actor_id, entity_type, entity_id, details FROM audit_log WHERE action LIKE 'segment.%pin' ORDER BY id`,
  );
}
const run = (days: number) => runSegmentEvaluation({ trigger: 'SCHEDULE', now: later(days) });

let segmentId: number;
let marketer: number;
let light: number; // 1 order: does not match
let heavy: number; // 5 orders: matches

describe('segment pins', () => {
  beforeEach(async () => {
    await resetTables('TRUNCATE profiles, segments, segment_runs, audit_log RESTART IDENTITY CASCADE');
    const [user] = await query<{ id: number }>(
      `INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('m@example.test', 'Mia Marketer', 'x', 'MARKETER', now())
       ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    );
    marketer = user!.id;
    light = await addProfile('light', 1);
    heavy = await addProfile('heavy', 5);
    await addProfile('heavy-2', 7);
    const rules = { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 3 }] };
    segmentId = (await createSegment({ name: 'Repeat buyers', rules }, null, { now: T0 })).id;
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2']);
  });

  it('a pin IN makes a non-matching profile a member at once and keeps it across runs', async () => {
    const result = await pinProfile(segmentId, light, 'IN', 'VIP by contract', marketer, { now: later(1) });
    expect(result).toEqual({ changed: true, evaluation: 'evaluated' });
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2', 'light']);
    expect(await memberCount(segmentId)).toBe(3);
    await run(2);
    await run(3);
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2', 'light']);
    expect(await changesOf(segmentId, light)).toEqual(['ENTERED']);
    const [manual] = await query<{ trigger: string }>(`SELECT r.trigger FROM segment_membership_changes c JOIN segment_runs r ON r.id = c.run_id WHERE c.profile_id = $1`, [light]);
    expect(manual).toEqual({ trigger: 'MANUAL' });
  });

  it('after unpinning, the rules decide again: a pinned-in profile that does not match leaves', async () => {
    await pinProfile(segmentId, light, 'IN', 'trial', marketer, { now: later(1) });
    const result = await unpinProfile(segmentId, light, marketer, { now: later(2) });
    expect(result).toEqual({ changed: true, evaluation: 'evaluated' });
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2']);
    await run(3);
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2']);
    expect(await changesOf(segmentId, light)).toEqual(['ENTERED', 'LEFT']);
    expect(await query(`SELECT * FROM segment_pins`)).toEqual([]);
  });

  it('a pin OUT removes a matching profile and keeps it out, even when it matches ever more', async () => {
    await pinProfile(segmentId, heavy, 'OUT', 'asked not to be contacted', marketer, { now: later(1) });
    expect(await memberIds(segmentId)).toEqual(['heavy-2']);
    expect(await memberCount(segmentId)).toBe(1);
    await getPool().query(`UPDATE profiles SET order_count = 50 WHERE id = $1`, [heavy]);
    await run(2);
    await run(3);
    expect(await memberIds(segmentId)).toEqual(['heavy-2']);
    expect(await changesOf(segmentId, heavy)).toEqual(['ENTERED', 'LEFT']);
    await unpinProfile(segmentId, heavy, marketer, { now: later(4) });
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2']);
  });

  it('a pin on a profile that matches anyway changes nothing but stays in force', async () => {
    await pinProfile(segmentId, heavy, 'IN', 'keep', marketer, { now: later(1) });
    expect(await changesOf(segmentId, heavy)).toEqual(['ENTERED']);
    await getPool().query(`UPDATE profiles SET order_count = 0 WHERE id = $1`, [heavy]);
    await run(2);
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2']);
  });

  it('replacing a pin switches the membership and audits what it was', async () => {
    await pinProfile(segmentId, light, 'IN', 'first reason', marketer, { now: later(1) });
    const replaced = await pinProfile(segmentId, light, 'OUT', 'second reason', null, { now: later(2) });
    expect(replaced).toEqual({ changed: true, evaluation: 'evaluated' });
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2']);
    expect(await query(`SELECT mode, reason, created_by_id FROM segment_pins`)).toEqual([{ mode: 'OUT', reason: 'second reason', created_by_id: null }]);

    const entries = await pinAudit();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toEqual({
      action: 'segment.pin',
      actor_id: marketer,
      entity_type: 'segment',
      entity_id: String(segmentId),
      details: { profileId: light, externalId: 'light', mode: 'IN', reason: 'first reason', before: null },
    });
    expect(entries[1]!.actor_id).toBeNull();
    expect(entries[1]!.details).toEqual({
      profileId: light,
      externalId: 'light',
      mode: 'OUT',
      reason: 'second reason',
      before: { mode: 'IN', reason: 'first reason', createdById: marketer, createdAt: later(1).toISOString() },
    });
  });

  it('audits an unpin with the pin it lifted', async () => {
    await pinProfile(segmentId, heavy, 'OUT', 'opted out by phone', marketer, { now: later(1) });
    await unpinProfile(segmentId, heavy, marketer, { now: later(2) });
    const entries = await pinAudit();
    expect(entries.map((e) => e.action)).toEqual(['segment.pin', 'segment.unpin']);
    expect(entries[1]!.details).toEqual({
      profileId: heavy,
      externalId: 'heavy',
      before: { mode: 'OUT', reason: 'opted out by phone', createdById: marketer, createdAt: later(1).toISOString() },
    });
  });

  it('pinning again with the same mode and reason is a no-op: no audit, no run', async () => {
    await pinProfile(segmentId, light, 'IN', 'same', marketer, { now: later(1) });
    const runs = (await query(`SELECT id FROM segment_runs`)).length;
    expect(await pinProfile(segmentId, light, 'IN', '  same ', marketer, { now: later(2) })).toEqual({ changed: false, evaluation: 'not-needed' });
    expect(await pinAudit()).toHaveLength(1);
    expect(await query(`SELECT id FROM segment_runs`)).toHaveLength(runs);
  });

  it('refuses unknown segments, profiles and pins, and writes nothing', async () => {
    await expect(pinProfile(9999, light, 'IN', 'x', marketer)).rejects.toThrow(new NotFoundError('The segment'));
    await expect(pinProfile(segmentId, 9999, 'IN', 'x', marketer)).rejects.toThrow(new NotFoundError('The profile'));
    await expect(unpinProfile(9999, light, marketer)).rejects.toThrow(new NotFoundError('The segment'));
    await expect(unpinProfile(segmentId, 9999, marketer)).rejects.toThrow(new NotFoundError('The profile'));
    await expect(unpinProfile(segmentId, light, marketer)).rejects.toThrow(new NotFoundError('The pin'));
    expect(await query(`SELECT * FROM segment_pins`)).toEqual([]);
    expect(await pinAudit()).toEqual([]);
  });

  it('requires a reason of 1 to 300 characters (the database refuses a blank one too)', async () => {
    await expect(pinProfile(segmentId, light, 'IN', '   ', marketer)).rejects.toThrow(/say why/i);
    await expect(pinProfile(segmentId, light, 'IN', 'x'.repeat(301), marketer)).rejects.toBeInstanceOf(ExpectedError);
    await expect(pinProfile(segmentId, light, 'MAYBE' as 'IN', 'x', marketer)).rejects.toBeInstanceOf(ExpectedError);
    expect(await pinProfile(segmentId, light, 'IN', 'é'.repeat(300), marketer)).toMatchObject({ changed: true });
    await expect(getPool().query(`UPDATE segment_pins SET reason = '  '`)).rejects.toThrow(/segment_pins_reason_length/);
  });

  it('when a run is in progress the pin is saved and the next run applies it', async () => {
    await getPool().query(`INSERT INTO segment_runs (trigger, status, clock) VALUES ('SCHEDULE', 'RUNNING', now())`);
    expect(await pinProfile(segmentId, light, 'IN', 'busy', marketer, { now: later(1) })).toEqual({ changed: true, evaluation: 'pending' });
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2']);
    expect((await listPinsForSegment(segmentId))[0]).toMatchObject({ externalId: 'light', inEffect: false });
    await getPool().query(`UPDATE segment_runs SET status = 'SUCCEEDED', finished_at = now() WHERE status = 'RUNNING'`);
    await run(2);
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2', 'light']);
    expect((await listPinsForSegment(segmentId))[0]).toMatchObject({ inEffect: true });
  });

  it('a paused segment keeps its tags; its pins apply when it is resumed', async () => {
    await setSegmentStatus(segmentId, 'PAUSED', null, { now: later(1) });
    expect(await pinProfile(segmentId, heavy, 'OUT', 'paused', marketer, { now: later(2) })).toEqual({ changed: true, evaluation: 'paused' });
    await run(3);
    expect(await memberIds(segmentId)).toEqual(['heavy', 'heavy-2']);
    await setSegmentStatus(segmentId, 'ACTIVE', null, { now: later(4) });
    expect(await memberIds(segmentId)).toEqual(['heavy-2']);
  });

  it('lists pins per segment and per profile with who set them and whether they are in effect', async () => {
    const [other] = await query<{ id: number }>(
      `INSERT INTO segments (name, rules, updated_at) VALUES ('Another', '{"combinator":"and","rules":[{"field":"orderCount","operator":">=","value":100}]}', now()) RETURNING id`,
    );
    await pinProfile(segmentId, light, 'IN', 'vip', marketer, { now: later(1) });
    await pinProfile(segmentId, heavy, 'OUT', 'no mail', null, { now: later(2) });
    await pinProfile(other!.id, light, 'OUT', 'not this one', marketer, { now: later(3) });

    expect(await listPinsForSegment(segmentId)).toEqual([
      { segmentId, profileId: heavy, externalId: 'heavy', mode: 'OUT', reason: 'no mail', createdByName: null, createdAt: later(2), inEffect: true },
      { segmentId, profileId: light, externalId: 'light', mode: 'IN', reason: 'vip', createdByName: 'Mia Marketer', createdAt: later(1), inEffect: true },
    ]);
    expect(await listPinsForProfile(light)).toEqual([
      expect.objectContaining({ segmentId: other!.id, segmentName: 'Another', segmentStatus: 'ACTIVE', mode: 'OUT', inEffect: true }),
      expect.objectContaining({ segmentId, segmentName: 'Repeat buyers', mode: 'IN', reason: 'vip', createdByName: 'Mia Marketer', inEffect: true }),
    ]);
  });

  it('a deleted profile or segment takes its pins with it', async () => {
    await pinProfile(segmentId, light, 'IN', 'vip', marketer, { now: later(1) });
    await pinProfile(segmentId, heavy, 'OUT', 'no', marketer, { now: later(1) });
    await getPool().query(`DELETE FROM profiles WHERE id = $1`, [light]);
    expect(await query(`SELECT profile_id FROM segment_pins`)).toEqual([{ profile_id: heavy }]);
    await getPool().query(`DELETE FROM segments WHERE id = $1`, [segmentId]);
    expect(await query(`SELECT profile_id FROM segment_pins`)).toEqual([]);
  });
});
