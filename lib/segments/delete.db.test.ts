import { beforeEach, describe, expect, it } from 'vitest';
import { ExpectedError, NotFoundError } from '../auth/errors';
import { getPool } from '../db/pool';
import { resetTables, useTestDatabase } from '../test/database';
import { createSegment, deleteSegment, setSegmentStatus } from './service';

useTestDatabase();

const T0 = new Date('2026-06-01T12:00:00Z');
const ordersAtLeast = (n: number) => ({ combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: n }] });
const inSegment = (id: number) => ({ combinator: 'and', rules: [{ field: 'segment', operator: 'in', value: id }] });
const count = async (sql: string, params: unknown[] = []) => ((await getPool().query<{ n: number }>(sql, params)).rows[0]?.n ?? 0);

describe('deleteSegment', () => {
  beforeEach(async () => {
    await resetTables('TRUNCATE profiles, segments, segment_runs, audit_log RESTART IDENTITY CASCADE');
    await getPool().query('DELETE FROM audiences');
    await getPool().query(`INSERT INTO profiles (external_id, order_count) VALUES ('a', 1), ('b', 5)`);
  });

  it('removes the segment with its tags, pins, history and run results, and audits the definition with the given details', async () => {
    const { id } = await createSegment({ name: 'Repeat', description: 'twice or more', rules: ordersAtLeast(2) }, null, { now: T0 });
    await getPool().query(`INSERT INTO segment_pins (segment_id, profile_id, mode, reason) VALUES ($1, 1, 'IN', 'vip')`, [id]);
    expect(await count(`SELECT count(*)::int AS n FROM segment_memberships WHERE segment_id = $1`, [id])).toBe(1);
    await deleteSegment(id, null, { auditDetails: { apiKeyId: 7 } });
    for (const table of ['segments', 'segment_memberships', 'segment_pins', 'segment_membership_changes', 'segment_run_results']) {
      expect(await count(`SELECT count(*)::int AS n FROM ${table}`), table).toBe(0);
    }
    const entry = await getPool().query(`SELECT actor_id, entity_id, details FROM audit_log WHERE action = 'segment.delete'`);
    expect(entry.rows).toEqual([
      {
        actor_id: null,
        entity_id: String(id),
        details: {
          apiKeyId: 7,
          before: { name: 'Repeat', description: 'twice or more', rules: ordersAtLeast(2), status: 'ACTIVE', version: 1, memberCount: 1 },
        },
      },
    ]);
    expect(await count(`SELECT count(*)::int AS n FROM profiles`)).toBe(2); // the profiles stay
  });

  it('refuses (409, naming them) while another segment or an audience refers to it, and deletes nothing', async () => {
    const base = await createSegment({ name: 'Base', rules: ordersAtLeast(2) }, null, { now: T0 });
    await createSegment({ name: 'Built on base', rules: inSegment(base.id) }, null, { now: T0 });
    await getPool().query(`INSERT INTO audiences (name, rules, columns, updated_at) VALUES ('Campaign', $1::jsonb, '["externalId"]', now())`, [JSON.stringify(inSegment(base.id))]);
    const attempt = deleteSegment(base.id, null);
    await expect(attempt).rejects.toBeInstanceOf(ExpectedError);
    await expect(deleteSegment(base.id, null)).rejects.toMatchObject({
      status: 409,
      message: 'Cannot delete "Base": the rules of segment "Built on base", audience "Campaign" refer to it. Change those rules first.',
    });
    expect(await count(`SELECT count(*)::int AS n FROM segments`)).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'segment.delete'`)).toBe(0);
  });

  it('404 for an unknown segment; a paused segment can be deleted', async () => {
    await expect(deleteSegment(999, null)).rejects.toBeInstanceOf(NotFoundError);
    const { id } = await createSegment({ name: 'Paused', rules: ordersAtLeast(1) }, null, { now: T0 });
    await setSegmentStatus(id, 'PAUSED', null);
    await deleteSegment(id, null);
    expect(await count(`SELECT count(*)::int AS n FROM segments`)).toBe(0);
  });

  it('refuses while a full evaluation run is in progress (it would fail on the vanished segment), not for per-profile runs', async () => {
    const { id } = await createSegment({ name: 'Busy', rules: ordersAtLeast(1) }, null, { now: T0 });
    const run = await getPool().query<{ id: number }>(`INSERT INTO segment_runs (trigger, status, clock) VALUES ('SCHEDULE', 'RUNNING', now()) RETURNING id`);
    await expect(deleteSegment(id, null)).rejects.toMatchObject({ status: 409, message: expect.stringContaining(`run (#${run.rows[0]!.id}) is in progress`) });
    await getPool().query(`UPDATE segment_runs SET status = 'SUCCEEDED' WHERE id = $1`, [run.rows[0]!.id]);
    await getPool().query(`INSERT INTO segment_runs (trigger, status, clock) VALUES ('PROFILE_UPDATE', 'RUNNING', now())`);
    await deleteSegment(id, null);
    expect(await count(`SELECT count(*)::int AS n FROM segments`)).toBe(0);
  });
});
