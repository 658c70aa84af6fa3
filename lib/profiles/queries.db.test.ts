import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { runSegmentEvaluation } from '../segments/evaluate';
import { useTestDatabase } from '../test/database';
import { getProfile, getProfileEvents, getProfileHistory, getProfileTags, listCountries, PROFILES_PAGE_SIZE, searchProfiles } from './queries';

useTestDatabase();

const T0 = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
let alice = 0;
let segmentId = 0;

async function insertProfile(externalId: string, email: string | null, country: string | null, orders = 0): Promise<number> {
  const r = await getPool().query<{ id: number }>(
    `INSERT INTO profiles (external_id, email, country, order_count, total_spent) VALUES ($1, $2, $3, $4::int, $4::int * 12.5) RETURNING id`,
    [externalId, email, country, orders],
  );
  return r.rows[0]!.id;
}

describe('profile read models', () => {
  beforeAll(async () => {
    alice = await insertProfile('test-alice', 'alice@example.com', 'United Kingdom', 3);
    await insertProfile('test-bob', 'bob@example.org', 'France', 1);
    await insertProfile('test-100%_off', null, 'Germany');
    await insertProfile('test-nocountry', null, null);
    // Enough rows for a second page.
    await getPool().query(
      `INSERT INTO profiles (external_id, country) SELECT 'test-bulk-' || lpad(g::text, 3, '0'), 'Spain' FROM generate_series(1, $1::int) g`,
      [PROFILES_PAGE_SIZE + 5],
    );
    await getPool().query(
      `INSERT INTO events (profile_id, type, occurred_at, revenue, properties) VALUES
         ($1, 'order', $2, 25.50, '{"invoice": "536365"}'), ($1, 'order', $3, 10, '{}'), ($1, 'order_cancelled', $4, -10, '{}')`,
      [alice, new Date(T0.getTime() - 10 * DAY), new Date(T0.getTime() - 5 * DAY), new Date(T0.getTime() - 4 * DAY)],
    );
    const seg = await getPool().query<{ id: number }>(
      `INSERT INTO segments (name, rules, updated_at) VALUES ('Repeat', $1, now()) RETURNING id`,
      [JSON.stringify({ combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 2 }] })],
    );
    segmentId = seg.rows[0]!.id;
    await runSegmentEvaluation({ trigger: 'MANUAL', now: T0 });
  });

  it('finds profiles by external id, email or country, ignoring case', async () => {
    expect((await searchProfiles({ q: 'ALICE' })).rows.map((r) => r.externalId)).toEqual(['test-alice']);
    expect((await searchProfiles({ q: 'example.org' })).rows.map((r) => r.externalId)).toEqual(['test-bob']);
    expect((await searchProfiles({ q: 'germany' })).rows.map((r) => r.externalId)).toEqual(['test-100%_off']);
    expect((await searchProfiles({ country: 'france' })).rows.map((r) => r.externalId)).toEqual(['test-bob']);
  });

  it('treats % and _ literally and binds hostile input', async () => {
    expect((await searchProfiles({ q: '%' })).rows.map((r) => r.externalId)).toEqual(['test-100%_off']);
    expect((await searchProfiles({ q: '_' })).total).toBe(1);
    expect((await searchProfiles({ q: "'; DROP TABLE profiles; --" })).total).toBe(0);
    expect((await searchProfiles({})).total).toBe(PROFILES_PAGE_SIZE + 9);
  });

  it('pages results and clamps out-of-range pages', async () => {
    const first = await searchProfiles({ country: 'Spain', page: 1 });
    expect(first).toMatchObject({ total: PROFILES_PAGE_SIZE + 5, page: 1, pageCount: 2 });
    expect(first.rows).toHaveLength(PROFILES_PAGE_SIZE);
    const second = await searchProfiles({ country: 'Spain', page: 2 });
    expect(second.rows.map((r) => r.externalId)).toEqual(['test-bulk-051', 'test-bulk-052', 'test-bulk-053', 'test-bulk-054', 'test-bulk-055']);
    expect((await searchProfiles({ country: 'Spain', page: 99 })).page).toBe(2);
    expect((await searchProfiles({ country: 'Spain', page: -3 })).page).toBe(1);
  });

  it('shows a profile with metrics, tags with the time gained, history and recent events', async () => {
    const profile = await getProfile(alice);
    expect(profile).toMatchObject({ externalId: 'test-alice', country: 'United Kingdom', orderCount: 3, totalSpent: '37.50', traits: {} });
    expect(await getProfile(999_999)).toBeNull();

    const tags = await getProfileTags(alice);
    expect(tags).toEqual([{ segmentId, segmentName: 'Repeat', status: 'ACTIVE', enteredAt: T0 }]);
    const history = await getProfileHistory(alice);
    expect(history).toMatchObject([{ segmentId, change: 'ENTERED', at: T0, definitionVersion: 1 }]);

    const events = await getProfileEvents(alice);
    expect(events.map((e) => [e.type, e.revenue])).toEqual([
      ['order_cancelled', '-10.00'],
      ['order', '10.00'],
      ['order', '25.50'],
    ]);
    expect(events[2]!.properties).toEqual({ invoice: '536365' });
  });

  it('lists the countries present', async () => {
    expect(await listCountries()).toEqual(['France', 'Germany', 'Spain', 'United Kingdom']);
  });
});
