import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { resetTables, useTestDatabase } from '../test/database';
import { runSegmentEvaluation } from './evaluate';
import { createSegment, updateSegment } from './service';

useTestDatabase();

const T0 = new Date('2026-06-01T12:00:00Z');
const orders = (n: number) => ({ field: 'orderCount', operator: '>=', value: n });
const inSeg = (id: number, operator: 'in' | 'notIn' = 'in') => ({ field: 'segment', operator, value: id });
const all = (...rules: unknown[]) => ({ combinator: 'and', rules });
const input = (name: string, rules: unknown) => ({ name, description: '', rules });

async function members(segmentId: number): Promise<string[]> {
  const r = await getPool().query<{ external_id: string }>(
    `SELECT p.external_id FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 ORDER BY 1`,
    [segmentId],
  );
  return r.rows.map((x) => x.external_id);
}

describe('segments built on other segments', () => {
  beforeEach(async () => {
    await resetTables('TRUNCATE profiles, segments, segment_runs, audit_log RESTART IDENTITY CASCADE');
    await getPool().query(`INSERT INTO profiles (external_id, order_count, country) VALUES ('uk-3', 3, 'United Kingdom'), ('fr-3', 3, 'France'), ('uk-1', 1, 'United Kingdom')`);
  });

  it('evaluates dependencies first in one run, whatever their ids, and takes dependents along on a change', async () => {
    // Created in this order, "not repeat" gets the lowest id yet depends on "UK repeat", which depends on "repeat".
    const placeholder = await createSegment(input('Not UK repeat', all(orders(100))), null, { now: T0 });
    const repeat = await createSegment(input('Repeat', all(orders(2))), null, { now: T0 });
    const ukRepeat = await createSegment(input('UK repeat', all(inSeg(repeat.id), { field: 'country', operator: '=', value: 'United Kingdom' })), null, { now: T0 });
    await updateSegment(placeholder.id, input('Not UK repeat', all(inSeg(ukRepeat.id, 'notIn'))), null, { now: T0 });

    await getPool().query(`TRUNCATE segment_memberships, segment_membership_changes`);
    const run = await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
    if (run.status !== 'completed') throw new Error('busy');
    expect(run.segments.map((s) => s.name)).toEqual(['Repeat', 'UK repeat', 'Not UK repeat']);
    expect(await members(ukRepeat.id)).toEqual(['uk-3']);
    expect(await members(placeholder.id)).toEqual(['fr-3', 'uk-1']);

    // Raising the bar of "Repeat" re-evaluates it and, at once, both segments that read it.
    await updateSegment(repeat.id, input('Repeat', all(orders(5))), null, { now: T0 });
    expect(await members(ukRepeat.id)).toEqual([]);
    expect(await members(placeholder.id)).toEqual(['fr-3', 'uk-1', 'uk-3']);
  });

  it('refuses a cycle on save, naming it, and a reference to a segment that does not exist', async () => {
    const a = await createSegment(input('A', all(orders(1))), null, { now: T0 });
    const b = await createSegment(input('B', all(inSeg(a.id))), null, { now: T0 });
    await expect(updateSegment(a.id, input('A', all(inSeg(b.id))), null, { now: T0 })).rejects.toThrow('"A" → "B" → "A"');
    await expect(updateSegment(a.id, input('A', all(inSeg(a.id))), null, { now: T0 })).rejects.toThrow('"A" → "A"');
    await expect(createSegment(input('C', all(inSeg(999))), null, { now: T0 })).rejects.toThrow('segment #999, which does not exist');
    const stored = await getPool().query(`SELECT rules FROM segments WHERE id = $1`, [a.id]);
    expect(stored.rows[0].rules).toEqual(all(orders(1)));
  });
});
