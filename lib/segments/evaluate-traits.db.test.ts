import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { defineTrait } from '../traits/registry';
import { evaluateProfiles, runSegmentEvaluation } from './evaluate';

useTestDatabase();

const NOW = new Date('2026-06-01T12:00:00Z');

async function members(segmentId: number): Promise<string[]> {
  const { rows } = await getPool().query<{ external_id: string }>(
    `SELECT p.external_id FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 ORDER BY 1`,
    [segmentId],
  );
  return rows.map((r) => r.external_id);
}

describe('segments on registered custom traits', () => {
  it('full runs and per-profile runs read the trait registry', async () => {
    await defineTrait({ key: 'score', label: 'Score', type: 'number' }, null);
    const pool = getPool();
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO profiles (external_id, traits) VALUES ('high', '{"score": 9}'), ('text', '{"score": "nine"}'), ('low', '{"score": "2"}') RETURNING id`,
    );
    const [, , low] = rows.map((r) => r.id);
    const segment = (
      await pool.query<{ id: number }>(`INSERT INTO segments (name, rules, updated_at) VALUES ('High scores', $1, now()) RETURNING id`, [
        JSON.stringify({ combinator: 'and', rules: [{ field: 'trait:score', operator: '>=', value: 5 }] }),
      ])
    ).rows[0]!.id;

    const run = await runSegmentEvaluation({ trigger: 'MANUAL', now: NOW });
    expect(run.status === 'completed' && run.segments[0]?.error).toBeFalsy();
    expect(await members(segment)).toEqual(['high']); // "nine" is not a number: no comparison holds

    await pool.query(`UPDATE profiles SET traits = traits || '{"score": 7.5}' WHERE id = $1`, [low]);
    const partial = await evaluateProfiles([low!], { now: NOW });
    expect(partial?.segments.find((s) => s.id === segment)).toMatchObject({ entered: 1, left: 0 });
    expect(await members(segment)).toEqual(['high', 'low']);
  });
});
