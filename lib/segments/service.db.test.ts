import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { resetTables, useTestDatabase } from '../test/database';
import { RuleValidationError } from './definition';
import { runSegmentEvaluation } from './evaluate';
import { getSegment } from './queries';
import { createSegment, evaluateAllSegments, setSegmentStatus, updateSegment } from './service';

useTestDatabase();

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T12:00:00Z');
const later = (days: number) => new Date(T0.getTime() + days * DAY);

async function addProfile(externalId: string, orders: number): Promise<number> {
  const r = await getPool().query<{ id: number }>(`INSERT INTO profiles (external_id, order_count) VALUES ($1, $2) RETURNING id`, [externalId, orders]);
  return r.rows[0]!.id;
}
async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await getPool().query(sql, params)).rows as T[];
}
async function memberIds(segmentId: number): Promise<string[]> {
  const rows = await query<{ external_id: string }>(
    `SELECT p.external_id FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 ORDER BY 1`,
    [segmentId],
  );
  return rows.map((r) => r.external_id);
}

const ordersAtLeast = (n: number) => ({ combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: n }] });

describe('segment service', () => {
  beforeEach(async () => {
    await resetTables('TRUNCATE profiles, segments, segment_runs, audit_log RESTART IDENTITY CASCADE');
    await addProfile('one-order', 1);
    await addProfile('three-orders', 3);
    await addProfile('six-orders', 6);
  });

  it.each([
    ['an empty rule set', { combinator: 'and', rules: [] }, /add at least one condition/],
    ['an unknown field', { combinator: 'and', rules: [{ field: 'password_hash', operator: '=', value: 'x' }] }, /unknown field "password_hash"/],
    ['a malformed value', { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 'two' }] }, /Number of orders ≥: needs a number/],
    ['no rules at all', undefined, /not a rule group/],
  ])('refuses %s with a clear message and saves nothing', async (_label, rules, message) => {
    const attempt = createSegment({ name: 'Broken', rules }, null, { now: T0 });
    await expect(attempt).rejects.toBeInstanceOf(RuleValidationError);
    await expect(createSegment({ name: 'Broken', rules }, null, { now: T0 })).rejects.toThrow(message);
    expect(await query(`SELECT id FROM segments`)).toEqual([]);
    expect(await query(`SELECT id FROM audit_log`)).toEqual([]);
    expect(await query(`SELECT id FROM segment_runs`)).toEqual([]);
  });

  it('lists every problem of the rules, not only the first', async () => {
    const rules = {
      combinator: 'and',
      rules: [
        { field: 'nope', operator: '=', value: 1 },
        { field: 'lastOrderAt', operator: 'inLastDays', value: 0 },
      ],
    };
    const error = await createSegment({ name: 'Two problems', rules }, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleValidationError);
    expect((error as RuleValidationError).problems.map((p) => p.path)).toEqual(['rules.rules[0]', 'rules.rules[1]']);
  });

  it('refuses empty and over-long names', async () => {
    await expect(createSegment({ name: '   ', rules: ordersAtLeast(1) }, null)).rejects.toThrow(/name/);
    await expect(createSegment({ name: 'x'.repeat(121), rules: ordersAtLeast(1) }, null)).rejects.toThrow(/at most 120/);
    expect(await query(`SELECT id FROM segments`)).toEqual([]);
  });

  it('creates, audits and evaluates the new segment at once', async () => {
    const created = await createSegment({ name: '  Repeat customers ', rules: ordersAtLeast(2) }, null, { now: T0 });
    expect(created).toMatchObject({ version: 1, evaluation: 'evaluated' });
    expect(await memberIds(created.id)).toEqual(['six-orders', 'three-orders']);
    const [segment] = await query<{ name: string; member_count: number }>(`SELECT name, member_count FROM segments WHERE id = $1`, [created.id]);
    expect(segment).toEqual({ name: 'Repeat customers', member_count: 2 });
    const runs = await query<{ trigger: string }>(`SELECT trigger FROM segment_runs`);
    expect(runs).toEqual([{ trigger: 'DEFINITION_CHANGE' }]);
    const audits = await query<{ action: string }>(`SELECT action FROM audit_log`);
    expect(audits).toEqual([{ action: 'segment.create' }]);
    expect((await getSegment(created.id))?.evaluationPending).toBe(false);
  });

  it('bumps the version only when the rules change, and audits before and after', async () => {
    const { id } = await createSegment({ name: 'Repeat', rules: ordersAtLeast(2) }, null, { now: T0 });

    // Same rules as the builder sends them back (ids, other key order): no new version, no run.
    const sameWithIds = { id: 'root', rules: [{ id: 'r1', value: 2, operator: '>=', field: 'orderCount' }], combinator: 'AND' };
    const renamed = await updateSegment(id, { name: 'Repeat buyers', rules: sameWithIds }, null, { now: later(1) });
    expect(renamed).toMatchObject({ version: 1, evaluation: 'evaluated' });

    const unchanged = await updateSegment(id, { name: 'Repeat buyers', rules: ordersAtLeast(2) }, null, { now: later(1) });
    expect(unchanged).toMatchObject({ version: 1, evaluation: 'not-needed' });

    const changed = await updateSegment(id, { name: 'Repeat buyers', rules: ordersAtLeast(5) }, null, { now: later(2) });
    expect(changed).toMatchObject({ version: 2, evaluation: 'evaluated' });
    expect(await memberIds(id)).toEqual(['six-orders']);

    const audits = await query<{ action: string; details: { before: { version: number; name: string }; after: { version: number; rules: unknown } } }>(
      `SELECT action, details FROM audit_log WHERE action = 'segment.update' ORDER BY id`,
    );
    expect(audits.map((a) => [a.details.before.version, a.details.after.version])).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(audits[0]!.details.before.name).toBe('Repeat');
    expect(audits[1]!.details.after.rules).toEqual(ordersAtLeast(5));
    // Stored rules carry no builder bookkeeping.
    const [stored] = await query<{ rules: unknown }>(`SELECT rules FROM segments WHERE id = $1`, [id]);
    expect(stored!.rules).toEqual(ordersAtLeast(5));
  });

  it('records leaving caused by an edit with the new definition version', async () => {
    const { id } = await createSegment({ name: 'Any orders', rules: ordersAtLeast(1) }, null, { now: T0 });
    await updateSegment(id, { name: 'Any orders', rules: ordersAtLeast(4) }, null, { now: later(1) });

    const changes = await query<{ external_id: string; change: string; definition_version: number }>(
      `SELECT p.external_id, c.change, c.definition_version FROM segment_membership_changes c
         JOIN profiles p ON p.id = c.profile_id WHERE c.segment_id = $1 ORDER BY c.id`,
      [id],
    );
    const left = changes.filter((c) => c.change === 'LEFT');
    expect(left.map((c) => c.external_id).sort()).toEqual(['one-order', 'three-orders']);
    expect(left.every((c) => c.definition_version === 2)).toBe(true);
    expect(changes.filter((c) => c.change === 'ENTERED').every((c) => c.definition_version === 1)).toBe(true);
  });

  it('a paused segment is not re-evaluated until it is resumed', async () => {
    const { id } = await createSegment({ name: 'Repeat', rules: ordersAtLeast(2) }, null, { now: T0 });
    const paused = await setSegmentStatus(id, 'PAUSED', null, { now: later(1) });
    expect(paused.evaluation).toBe('not-needed');

    await getPool().query(`UPDATE profiles SET order_count = 2 WHERE external_id = 'one-order'`);
    const run = await runSegmentEvaluation({ trigger: 'SCHEDULE', now: later(2) });
    expect(run.status === 'completed' && run.segments).toEqual([]);
    expect(await memberIds(id)).toEqual(['six-orders', 'three-orders']);
    expect((await getSegment(id))?.evaluationPending).toBe(false);

    // Editing a paused segment saves it but does not run it.
    const edited = await updateSegment(id, { name: 'Repeat (paused)', rules: ordersAtLeast(2) }, null, { now: later(3) });
    expect(edited.evaluation).toBe('not-needed');

    const resumed = await setSegmentStatus(id, 'ACTIVE', null, { now: later(4) });
    expect(resumed.evaluation).toBe('evaluated');
    expect(await memberIds(id)).toEqual(['one-order', 'six-orders', 'three-orders']);
    const actions = await query<{ action: string }>(`SELECT action FROM audit_log ORDER BY id`);
    expect(actions.map((a) => a.action)).toEqual(['segment.create', 'segment.pause', 'segment.update', 'segment.resume']);
  });

  it('saves but leaves the evaluation pending while another run holds the lock', async () => {
    const { id } = await createSegment({ name: 'Repeat', rules: ordersAtLeast(2) }, null, { now: T0 });
    await getPool().query(`INSERT INTO segment_runs (trigger, status, clock) VALUES ('SCHEDULE', 'RUNNING', now())`);

    const saved = await updateSegment(id, { name: 'Repeat', rules: ordersAtLeast(5) }, null, { now: later(1) });
    expect(saved).toMatchObject({ version: 2, evaluation: 'pending' });
    expect(await memberIds(id)).toEqual(['six-orders', 'three-orders']); // not yet re-tagged
    expect((await getSegment(id))?.evaluationPending).toBe(true);

    const manual = await evaluateAllSegments(null, { now: later(1) });
    expect(manual.status).toBe('busy');

    await getPool().query(`UPDATE segment_runs SET status = 'SUCCEEDED', finished_at = now() WHERE status = 'RUNNING'`);
    const next = await evaluateAllSegments(null, { now: later(2) });
    expect(next.status).toBe('completed');
    expect(await memberIds(id)).toEqual(['six-orders']);
    expect((await getSegment(id))?.evaluationPending).toBe(false);
  });

  it('refuses to edit or pause a segment that does not exist', async () => {
    await expect(updateSegment(999, { name: 'x', rules: ordersAtLeast(1) }, null)).rejects.toThrow(/not found/);
    await expect(setSegmentStatus(999, 'PAUSED', null)).rejects.toThrow(/not found/);
  });
});
