import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { compileRules } from './compile';
import { explainRules, type ConditionExplanation, type GroupExplanation } from './explain';
import { createCatalog } from './fields';
import { parseRules } from './parse';

useTestDatabase();

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const catalog = createCatalog([{ key: 'score', label: 'Score', type: 'number' }]);
let anna: number;
let ben: number;

beforeAll(async () => {
  const pool = getPool();
  const insert = async (externalId: string, country: string | null, traits: object) =>
    (await pool.query<{ id: number }>(`INSERT INTO profiles (external_id, country, traits) VALUES ($1, $2, $3::jsonb) RETURNING id`, [externalId, country, JSON.stringify(traits)])).rows[0]!.id;
  anna = await insert('anna', 'Germany', { score: 7 });
  ben = await insert('ben', 'France', { score: 'high' });
  for (const [profile, daysAgo, revenue] of [
    [anna, 10, 30],
    [anna, 40, 5],
    [ben, 200, 80],
  ] as const) {
    await pool.query(`INSERT INTO events (profile_id, type, occurred_at, revenue) VALUES ($1, 'order', $2, $3)`, [profile, new Date(NOW.getTime() - daysAgo * DAY), revenue]);
  }
});

const rules = {
  combinator: 'and',
  rules: [
    { field: 'event:order', operator: 'atLeast', value: { count: 2, days: 90 } },
    { combinator: 'or', not: true, rules: [{ field: 'country', operator: '=', value: 'France' }, { field: 'trait:score', operator: '<', value: 5 }] },
    { field: 'event:order', operator: 'revenueSum', value: { comparator: '>=', amount: 30, days: 90 } },
  ],
};

function flat(g: GroupExplanation): ConditionExplanation[] {
  return g.rules.flatMap((r) => (r.type === 'group' ? flat(r) : [r]));
}

describe('explainRules', () => {
  it('says which conditions hold, with the values they looked at, and agrees with the membership', async () => {
    const parsed = parseRules(rules, catalog);
    if (!parsed.ok) throw new Error('invalid');
    const a = (await explainRules(parsed.tree, anna, { now: NOW }))!;
    expect(a.holds).toBe(true);
    expect(flat(a).map((c) => [c.holds, c.observed])).toEqual([
      [true, '2'],
      [false, 'Germany'],
      [false, '7'],
      [true, '35.00'],
    ]);
    const b = (await explainRules(parsed.tree, ben, { now: NOW }))!;
    expect(b.holds).toBe(false);
    expect(flat(b).map((c) => [c.holds, c.observed])).toEqual([
      [false, '0'],
      [true, 'France'],
      [false, '"high"'], // the raw JSON: a text in a number trait matches no comparison
      [false, '0'],
    ]);
    expect((b.rules[1] as GroupExplanation).holds).toBe(false); // NOT (true OR false)

    const { where, params } = compileRules(parsed.tree, NOW);
    const members = await getPool().query<{ id: number }>(`SELECT p.id FROM profiles p WHERE ${where}`, params);
    expect(members.rows.map((r) => r.id)).toEqual([anna]);
  });

  it('returns null for a profile that does not exist', async () => {
    const parsed = parseRules(rules, catalog);
    if (!parsed.ok) throw new Error('invalid');
    expect(await explainRules(parsed.tree, 999_999, { now: NOW })).toBeNull();
  });
});
