import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { resetTables, useTestDatabase } from '../test/database';
import { runSegmentEvaluation } from './evaluate';
import { listSegmentChanges } from './queries';
import { createSegment } from './service';

useTestDatabase();

const T0 = new Date('2026-06-01T12:00:00Z');
const T1 = new Date('2026-06-02T12:00:00Z');

describe('listSegmentChanges', () => {
  let segmentId: number;

  beforeEach(async () => {
    const pool = getPool();
    await resetTables('TRUNCATE profiles, segments, segment_runs, audit_log RESTART IDENTITY CASCADE');
    await pool.query(`INSERT INTO profiles (external_id, order_count) SELECT 'c' || n, 1 FROM generate_series(1, 5) n`);
    segmentId = (await createSegment({ name: 'Buyers', rules: { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 1 }] } }, null, { now: T0 })).id;
    await pool.query(`UPDATE profiles SET order_count = 0 WHERE external_id IN ('c2', 'c4')`);
    await runSegmentEvaluation({ trigger: 'SCHEDULE', now: T1 });
  });

  it('pages the enters and leaves newest first, with the total', async () => {
    const first = await listSegmentChanges(segmentId, 1, 3);
    expect(first).toMatchObject({ total: 7, page: 1, pageCount: 3 });
    expect(first.rows.map((r) => r.change)).toEqual(['LEFT', 'LEFT', 'ENTERED']);
    expect(first.rows.slice(0, 2).map((r) => r.externalId).sort()).toEqual(['c2', 'c4']);

    const pages = await Promise.all([1, 2, 3].map((p) => listSegmentChanges(segmentId, p, 3)));
    const ids = pages.flatMap((p) => p.rows.map((r) => r.id));
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    expect(pages[2]!.rows).toHaveLength(1);
  });

  it('clamps a page past the end to the last page, and below 1 to the first', async () => {
    expect((await listSegmentChanges(segmentId, 9, 3)).page).toBe(3);
    expect((await listSegmentChanges(segmentId, 0, 3)).page).toBe(1);
  });

  it('answers one empty page for a segment nobody entered', async () => {
    expect(await listSegmentChanges(segmentId + 1, 1)).toEqual({ rows: [], total: 0, page: 1, pageCount: 1 });
  });
});
