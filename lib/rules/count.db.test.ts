import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { countMatchingProfiles } from './count';
import { parseRules } from './parse';

useTestDatabase();

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;

// Countries chosen to be hostile to naive SQL building and to LIKE patterns.
const PROFILES: { id: string; country: string | null; orders: number; lastOrderDaysAgo: number | null; created?: string }[] = [
  { id: 'a', country: 'United Kingdom', orders: 1, lastOrderDaysAgo: 10, created: '2026-01-15T10:00:00Z' },
  { id: 'b', country: "O'Brien'; DROP TABLE profiles; --", orders: 3, lastOrderDaysAgo: 100 },
  { id: 'c', country: '100%_real', orders: 0, lastOrderDaysAgo: null },
  { id: 'd', country: null, orders: 5, lastOrderDaysAgo: 200 },
  { id: 'e', country: 'Zoë 👩‍💻', orders: 2, lastOrderDaysAgo: 30 },
  { id: 'f', country: '', orders: 0, lastOrderDaysAgo: null },
];

async function count(rules: unknown): Promise<number> {
  const parsed = parseRules(rules);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return countMatchingProfiles(parsed.tree, NOW);
}
const one = (field: string, operator: string, value?: unknown, not = false) => ({ combinator: 'and', not, rules: [{ field, operator, value }] });

describe('rule semantics on a real database', () => {
  beforeAll(async () => {
    for (const p of PROFILES) {
      const lastOrder = p.lastOrderDaysAgo === null ? null : new Date(NOW.getTime() - p.lastOrderDaysAgo * DAY).toISOString();
      const r = await getPool().query<{ id: number }>(
        `INSERT INTO profiles (external_id, country, order_count, last_order_at, created_at) VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now())) RETURNING id`,
        [p.id, p.country, p.orders, lastOrder, p.created ?? null],
      );
      for (let i = 0; i < p.orders; i++) {
        const at = new Date(NOW.getTime() - ((p.lastOrderDaysAgo ?? 0) + i * 40) * DAY).toISOString();
        await getPool().query(`INSERT INTO events (profile_id, type, occurred_at, revenue) VALUES ($1, 'order', $2, 10)`, [r.rows[0]!.id, at]);
      }
    }
  });

  it('matches hostile strings literally, as bound values', async () => {
    expect(await count(one('country', '=', "O'Brien'; DROP TABLE profiles; --"))).toBe(1);
    expect(await count(one('country', 'contains', '%_'))).toBe(1);
    expect(await count(one('country', 'beginsWith', '100%'))).toBe(1);
    expect(await count(one('country', 'endsWith', '👩‍💻'))).toBe(1);
    expect(await count(one('country', 'in', ['zoë 👩‍💻', 'UNITED KINGDOM']))).toBe(2);
    const tables = await getPool().query(`SELECT count(*)::int AS n FROM profiles`);
    expect(tables.rows[0].n).toBe(PROFILES.length);
  });

  it('a condition on a missing value is false; only "is empty" matches it; NOT negates exactly', async () => {
    // d has no country, f has an empty one: both are "empty".
    expect(await count(one('country', 'null'))).toBe(2);
    expect(await count(one('country', 'notNull'))).toBe(4);
    expect(await count(one('country', '!=', 'United Kingdom'))).toBe(3); // b, c, e: d and f are empty, so the comparison is false
    expect(await count(one('country', '=', 'United Kingdom', true))).toBe(5); // NOT(...) includes the missing country
    expect(await count(one('lastOrderAt', 'moreThanDaysAgo', 90))).toBe(2); // b, d; never-ordered are not "long ago"
    expect(await count(one('lastOrderAt', 'inLastDays', 30))).toBe(2); // a (10 days), e (exactly 30 days)
    expect(await count(one('lastOrderAt', 'inLastDays', 30, true))).toBe(4);
  });

  it('counts events in a window, with "at most" and "exactly 0" including profiles without events', async () => {
    expect(await count(one('event:order', 'atLeast', { count: 1, days: 30 }))).toBe(2);
    expect(await count(one('event:order', 'exactly', { count: 0, days: 30 }))).toBe(4);
    expect(await count(one('event:order', 'atMost', { count: 0, days: null }))).toBe(2);
    expect(await count(one('event:order', 'atLeast', { count: 5, days: null }))).toBe(1);
  });

  it('compares dates by whole days in UTC for absolute dates', async () => {
    expect(await count(one('createdAt', 'on', '2026-01-15'))).toBe(1);
    expect(await count(one('createdAt', 'between', ['2026-01-15', '2026-01-15']))).toBe(1);
    expect(await count(one('createdAt', 'before', '2026-01-15'))).toBe(0);
    expect(await count(one('createdAt', 'after', '2026-01-14'))).toBe(PROFILES.length);
  });

  it('nests groups with AND, OR and NOT', async () => {
    const rules = {
      combinator: 'or',
      rules: [
        { field: 'orderCount', operator: '>=', value: 5 },
        { combinator: 'and', not: true, rules: [{ field: 'orderCount', operator: '>', value: 0 }] },
      ],
    };
    expect(await count(rules)).toBe(3); // d, plus c and f with no orders
  });
});
