import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { resetTables, useTestDatabase } from '../test/database';
import { getPausedState } from './paused-state';
import { getSegment } from './queries';
import { createSegment, setSegmentStatus, updateSegment } from './service';

useTestDatabase();

const T0 = new Date('2026-06-01T12:00:00Z');
const atLeast = (n: number) => ({ combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: n }] });

async function state(id: number) {
  const segment = (await getSegment(id))!;
  return { status: segment.status, version: segment.version, ...(await getPausedState(id)) };
}

describe('getPausedState', () => {
  let id: number;

  beforeEach(async () => {
    await resetTables('TRUNCATE profiles, segments, segment_runs, audit_log RESTART IDENTITY CASCADE');
    await getPool().query(`INSERT INTO profiles (external_id, order_count) VALUES ('a', 1), ('b', 3)`);
    id = (await createSegment({ name: 'Buyers', rules: atLeast(1) }, null, { now: T0 })).id;
  });

  it('says the members match the definition while nothing changed since the last evaluation', async () => {
    await setSegmentStatus(id, 'PAUSED', null, { now: T0 });
    const s = await state(id);
    expect(s).toMatchObject({ status: 'PAUSED', version: 1, evaluatedVersion: 1 });
    expect(s.pausedAt).toBeInstanceOf(Date);
  });

  it('keeps the evaluated version through edits of a paused segment, renames aside', async () => {
    await setSegmentStatus(id, 'PAUSED', null, { now: T0 });
    await updateSegment(id, { name: 'Buyers', rules: atLeast(2) }, null, { now: T0 });
    expect(await state(id)).toMatchObject({ version: 2, evaluatedVersion: 1 });
    await updateSegment(id, { name: 'Buyers', rules: atLeast(3) }, null, { now: T0 });
    await updateSegment(id, { name: 'Big buyers', rules: atLeast(3) }, null, { now: T0 });
    expect(await state(id)).toMatchObject({ version: 3, evaluatedVersion: 1 });
  });

  it('catches up when a resume evaluates the edited definition', async () => {
    await setSegmentStatus(id, 'PAUSED', null, { now: T0 });
    await updateSegment(id, { name: 'Buyers', rules: atLeast(2) }, null, { now: T0 });
    await setSegmentStatus(id, 'ACTIVE', null, { now: T0 });
    await setSegmentStatus(id, 'PAUSED', null, { now: T0 });
    expect(await state(id)).toMatchObject({ status: 'PAUSED', version: 2, evaluatedVersion: 2 });
  });

  it('says so when the segment was never evaluated', async () => {
    await getPool().query('UPDATE segments SET evaluated_version = NULL');
    await setSegmentStatus(id, 'PAUSED', null, { now: T0 });
    expect(await state(id)).toMatchObject({ version: 1, evaluatedVersion: null });
  });
});
