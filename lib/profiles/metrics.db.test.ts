import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { addEventMetricsCtes, recomputeMetrics } from './metrics';

useTestDatabase();

interface Metrics {
  external_id: string;
  order_count: number;
  total_spent: string;
  cancellation_count: number;
  first_order_at: Date | null;
  last_order_at: Date | null;
  last_activity_at: Date | null;
}

async function metrics(): Promise<Record<string, Omit<Metrics, 'external_id'>>> {
  const r = await getPool().query<Metrics>(
    `SELECT external_id, order_count, total_spent::text, cancellation_count, first_order_at, last_order_at, last_activity_at
       FROM profiles ORDER BY external_id`,
  );
  return Object.fromEntries(r.rows.map(({ external_id, ...m }) => [external_id, m]));
}

const ids: Record<string, number> = {};
async function event(profile: string, type: string, at: string, revenue: number | null) {
  await getPool().query(`INSERT INTO events (profile_id, type, occurred_at, revenue) VALUES ($1, $2, $3, $4)`, [ids[profile], type, at, revenue]);
}

describe('recomputeMetrics', () => {
  beforeAll(async () => {
    for (const id of ['buyer', 'canceller', 'silent', 'visitor']) {
      const r = await getPool().query<{ id: number }>(`INSERT INTO profiles (external_id) VALUES ($1) RETURNING id`, [id]);
      ids[id] = r.rows[0]!.id;
    }
    await event('buyer', 'order', '2026-01-10T10:00:00Z', 100.5);
    await event('buyer', 'order', '2026-03-01T09:30:00Z', 20.25);
    await event('buyer', 'order_cancelled', '2026-03-02T08:00:00Z', -20.25);
    await event('buyer', 'page_view', '2026-04-01T00:00:00Z', null);
    await event('canceller', 'order_cancelled', '2026-02-01T00:00:00Z', -5);
    await event('visitor', 'page_view', '2026-02-03T00:00:00Z', 999); // revenue on other event types is not spending
  });

  it('derives counts, net spend and dates from the events', async () => {
    expect(await recomputeMetrics(getPool())).toBe(3); // "silent" already holds the defaults
    expect(await metrics()).toEqual({
      buyer: {
        order_count: 2,
        total_spent: '100.50',
        cancellation_count: 1,
        first_order_at: new Date('2026-01-10T10:00:00Z'),
        last_order_at: new Date('2026-03-01T09:30:00Z'),
        last_activity_at: new Date('2026-04-01T00:00:00Z'),
      },
      canceller: {
        order_count: 0,
        total_spent: '-5.00',
        cancellation_count: 1,
        first_order_at: null,
        last_order_at: null,
        last_activity_at: new Date('2026-02-01T00:00:00Z'),
      },
      silent: { order_count: 0, total_spent: '0.00', cancellation_count: 0, first_order_at: null, last_order_at: null, last_activity_at: null },
      visitor: {
        order_count: 0,
        total_spent: '0.00',
        cancellation_count: 0,
        first_order_at: null,
        last_order_at: null,
        last_activity_at: new Date('2026-02-03T00:00:00Z'),
      },
    });
  });

  it('writes nothing when nothing changed', async () => {
    expect(await recomputeMetrics(getPool())).toBe(0);
    expect(await recomputeMetrics(getPool(), Object.values(ids))).toBe(0);
  });

  it('touches only the given profiles, and resets a profile whose events are gone', async () => {
    await event('silent', 'order', '2026-05-01T12:00:00Z', 7);
    await getPool().query(`DELETE FROM events WHERE profile_id = $1`, [ids.canceller]);
    expect(await recomputeMetrics(getPool(), [ids.canceller!])).toBe(1);
    const after = await metrics();
    expect(after.canceller).toMatchObject({ cancellation_count: 0, total_spent: '0.00', last_activity_at: null });
    expect(after.silent!.order_count).toBe(0); // not in the list: untouched
    expect(await recomputeMetrics(getPool(), [ids.silent!])).toBe(1);
    expect((await metrics()).silent).toMatchObject({ order_count: 1, total_spent: '7.00' });
  });
});

describe('addEventMetricsCtes (metrics moved by the events a statement inserts)', () => {
  it('gives what a full recompute gives, batch after batch, with out-of-order times, cancellations and no-op events', async () => {
    await getPool().query('TRUNCATE profiles, events RESTART IDENTITY CASCADE');
    const people = ['a', 'b', 'c', 'd', 'e'];
    for (const id of people) ids[id] = (await getPool().query<{ id: number }>(`INSERT INTO profiles (external_id) VALUES ($1) RETURNING id`, [id])).rows[0]!.id;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const types = ['order', 'order', 'order_cancelled', 'page_view', 'product_viewed'];
    for (let batch = 0; batch < 40; batch++) {
      const rows = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
        const type = types[Math.floor(random() * types.length)]!;
        const revenue = type === 'order' ? Math.round(random() * 10_000) / 100 : type === 'order_cancelled' ? -Math.round(random() * 5_000) / 100 : null;
        // Times out of order: a late event must not move a last date back.
        return { profile: ids[people[Math.floor(random() * people.length)]!]!, type, at: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000).toISOString(), revenue };
      });
      await getPool().query(
        `WITH inserted AS (
           INSERT INTO events (profile_id, type, occurred_at, revenue)
           SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::numeric[]) RETURNING profile_id, type, occurred_at, revenue
         ), ${addEventMetricsCtes('inserted')}
         SELECT count(*) FROM inserted`,
        [rows.map((r) => r.profile), rows.map((r) => r.type), rows.map((r) => r.at), rows.map((r) => r.revenue)],
      );
      const moved = await metrics();
      expect(await recomputeMetrics(getPool())).toBe(0); // nothing left to correct
      expect(await metrics()).toEqual(moved);
    }
    expect(Object.values(await metrics()).some((m) => m.cancellation_count > 0 && m.order_count > 1)).toBe(true);
  });
});
