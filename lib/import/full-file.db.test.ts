import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { importOnlineRetail, type ImportReport } from './online-retail';

const db = useTestDatabase();

// The one test over the whole shipped file (about 8 s on PGlite, 6 s on PostgreSQL, twice over).
// The expected numbers are the published facts in ../shared/data/README.md section 1 and counts
// measured on the file independently with Python's csv module; edge cases live in
// online-retail.db.test.ts on small hand-made files.
const FILE = path.resolve('data/demo/online_retail.csv.gz');

async function one<T>(sql: string): Promise<T> {
  const r = await getPool().query(sql);
  return r.rows[0] as T;
}

async function checksums() {
  return one<{ profiles: string; events: string }>(
    `SELECT (SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM profiles t) AS profiles,
            (SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM events t) AS events`,
  );
}

describe('importing the shipped Online Retail file', () => {
  const now = new Date();
  let first: ImportReport;

  it(
    'matches the published facts',
    async () => {
      const started = performance.now();
      first = await importOnlineRetail(FILE, { now });
      console.log(`full import on ${db.current.kind}: ${Math.round(performance.now() - started)} ms`, first.timings);

      expect(first).toMatchObject({ rowsRead: 541_909, guestRowsSkipped: 135_080, adjustmentRowsSkipped: 0, profilesCreated: 4_372 });
      expect(
        await one(`SELECT count(*)::int AS profiles,
                          count(*) FILTER (WHERE order_count >= 1)::int AS buyers,
                          count(*) FILTER (WHERE order_count = 1)::int AS one_time,
                          count(*) FILTER (WHERE order_count >= 2)::int AS repeat,
                          count(*) FILTER (WHERE order_count = 0 AND cancellation_count > 0)::int AS only_cancelled,
                          count(*) FILTER (WHERE cancellation_count > 0)::int AS cancellers,
                          sum(order_count)::int AS orders,
                          sum(cancellation_count)::int AS cancellations,
                          sum(total_spent)::text AS net_revenue,
                          count(*) FILTER (WHERE total_spent >= 5000)::int AS high_value,
                          count(DISTINCT country)::int AS countries
                     FROM profiles`),
      ).toEqual({
        profiles: 4_372,
        buyers: 4_339,
        one_time: 1_494,
        repeat: 2_845,
        only_cancelled: 33,
        cancellers: 1_589,
        orders: 18_536,
        cancellations: 3_654,
        net_revenue: '8300065.81', // sum over invoices of each invoice's revenue rounded to pence
        high_value: 263,
        countries: 37, // the 38th, 'Hong Kong', only ever appears on guest lines
      });
      expect(await one(`SELECT count(*)::int AS n FROM events WHERE type = 'order'`)).toEqual({ n: 18_536 });
      expect(await one(`SELECT count(*)::int AS n FROM events WHERE type = 'order_cancelled' AND revenue < 0`)).toEqual({ n: 3_654 });
    },
    180_000,
  );

  it('puts the last invoice (581587, 2011-12-09 12:50 UK time) on yesterday, same time of day', async () => {
    const last = await getPool().query(
      `SELECT e.properties->>'invoiceNo' AS invoice, p.external_id,
              to_char(e.occurred_at AT TIME ZONE 'UTC', 'HH24:MI') AS utc_time,
              (e.occurred_at AT TIME ZONE 'Europe/London')::date = ($1::timestamptz AT TIME ZONE 'Europe/London')::date - 1 AS yesterday
         FROM events e JOIN profiles p ON p.id = e.profile_id ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1`,
      [now.toISOString()],
    );
    expect(last.rows).toEqual([{ invoice: '581587', external_id: '12680', utc_time: '12:50', yesterday: true }]);
    // the first invoice keeps its distance: 2010-12-01 08:26 is 373 days, 4 h 24 min before the last
    const span = await one<{ span: string }>(`SELECT (max(occurred_at) - min(occurred_at))::text AS span FROM events`);
    expect(span.span).toBe('373 days 04:24:00');
  });

  it('gives each of the 8 customers seen under two countries the country of their latest invoice', async () => {
    const r = await getPool().query<{ external_id: string; country: string }>(
      `SELECT external_id, country FROM profiles WHERE external_id IN ('12370','12394','12417','12422','12429','12431','12455','12457') ORDER BY external_id`,
    );
    expect(Object.fromEntries(r.rows.map((p) => [p.external_id, p.country]))).toEqual({
      '12370': 'Cyprus',
      '12394': 'Denmark',
      '12417': 'Belgium',
      '12422': 'Australia',
      '12429': 'Denmark',
      '12431': 'Australia',
      '12455': 'Spain',
      '12457': 'Switzerland',
    });
  });

  it(
    'changes nothing when imported a second time',
    async () => {
      const before = await checksums();
      const second = await importOnlineRetail(FILE, { now: new Date(now.getTime() + 3 * 86_400_000) });
      expect(second).toMatchObject({
        profilesCreated: 0,
        profilesUpdated: 0,
        eventsInserted: { orders: 0, cancellations: 0 },
        eventsAlreadyPresent: 22_190,
        metricsChanged: 0,
        shift: { days: first.shift!.days, fixedNow: false },
      });
      expect(await checksums()).toEqual(before);
    },
    180_000,
  );
});
