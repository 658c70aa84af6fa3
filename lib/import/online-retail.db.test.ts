import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { ImportError } from './format';
import { importOnlineRetail } from './online-retail';
import { ONLINE_RETAIL_HEADER, ONLINE_RETAIL_II_HEADER, writeFixture } from './testing';

useTestDatabase();

const DAY = 86_400_000;
const FIRST_NOW = new Date('2026-06-15T09:00:00Z'); // a summer morning in London
const LATER = new Date('2026-09-01T18:00:00Z');
// The file's last invoice (a guest's, 2011-06-30) must land on 2026-06-14, the day before FIRST_NOW.
const SHIFT_DAYS = (Date.UTC(2026, 5, 14) - Date.UTC(2011, 5, 30)) / DAY;
const shifted = (utc: string) => new Date(new Date(utc).getTime() + SHIFT_DAYS * DAY);

// Customer 100: three orders, one cancellation, a bad-debt adjustment. 200: two countries, the
// later invoice listed first. 300: only a cancellation. Guest lines, and the last invoice is a guest's.
const FIRST_FILE = [
  ONLINE_RETAIL_HEADER,
  '500001,A1,"MUG, RED",2,2011-01-10 10:00:00,1.5,100,United Kingdom',
  '500001,A2,PLATE,3,2011-01-10 10:00:00,2.25,100,United Kingdom',
  '500005,B1,LAMP,1,2011-04-01 10:00:00,12.0,200,Belgium',
  '500004,B2,LAMP,2,2011-02-01 09:00:00,12.0,200,France',
  '500002,A3,CUP,10,2011-03-01 12:00:00,0.333,100,United Kingdom',
  'C500003,A2,PLATE,-1,2011-03-02 08:00:00,2.25,100,United Kingdom',
  'C500006,X,THING,-4,2011-05-05 11:11:00,1.25,300,EIRE',
  '500007,G1,GUEST,5,2011-05-06 10:00:00,1.0,,United Kingdom',
  '500007,G2,GUEST,1,2011-05-06 10:00:00,1.0,,United Kingdom',
  'A500008,B,Adjust bad debt,1,2011-05-07 10:00:00,-100.0,100,United Kingdom',
  '500009,G3,GUEST,1,2011-06-30 15:30:00,2.0,,United Kingdom',
  '500010,A4,"RIBBON ""GOLD""",3,2011-06-01 16:00:00,0.005,100,United Kingdom',
];

async function checksum(table: 'profiles' | 'events' | 'datasets'): Promise<string> {
  const r = await getPool().query<{ sum: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM ${table} t`);
  return r.rows[0]!.sum;
}

async function profile(externalId: string) {
  const r = await getPool().query(
    `SELECT country, created_at, order_count, total_spent::text, cancellation_count, first_order_at, last_order_at, last_activity_at
       FROM profiles WHERE external_id = $1`,
    [externalId],
  );
  return r.rows[0];
}

const count = async (sql: string) => (await getPool().query<{ n: number }>(sql)).rows[0]!.n;

describe('importOnlineRetail on hand-made files', () => {
  const firstFile = writeFixture('online_retail_small.csv.gz', FIRST_FILE, { gzip: true });

  it('turns customers into profiles and invoices into order and cancellation events', async () => {
    const lines: string[] = [];
    const report = await importOnlineRetail(firstFile, { now: FIRST_NOW, batchSize: 3, log: (l) => lines.push(l) });
    expect(report).toMatchObject({
      format: 'online-retail',
      rowsRead: 12,
      guestRowsSkipped: 3,
      adjustmentRowsSkipped: 1,
      invoices: 7,
      profilesCreated: 3,
      profilesUpdated: 0,
      eventsInserted: { orders: 5, cancellations: 2 },
      eventsAlreadyPresent: 0,
      metricsChanged: 3,
      shift: { days: SHIFT_DAYS, fixedNow: true, lastInvoiceAt: '2026-06-14T14:30:00.000Z' }, // 15:30 BST
    });
    expect(lines.join('\n')).toMatch(/parsed 12 rows \(100%\)[\s\S]*time shift/);

    expect(await profile('100')).toEqual({
      country: 'United Kingdom',
      created_at: shifted('2011-01-10T10:00:00Z'),
      order_count: 3,
      total_spent: '10.85', // 9.75 + 3.33 + 0.02 (0.015 rounds away from zero) - 2.25
      cancellation_count: 1,
      first_order_at: shifted('2011-01-10T10:00:00Z'),
      last_order_at: shifted('2011-06-01T15:00:00Z'), // 16:00 BST
      last_activity_at: shifted('2011-06-01T15:00:00Z'),
    });
    expect(await profile('200')).toMatchObject({ country: 'Belgium', order_count: 2, total_spent: '36.00' }); // the most recent country
    expect(await profile('300')).toMatchObject({ country: 'EIRE', order_count: 0, total_spent: '-5.00', cancellation_count: 1 });

    const events = await getPool().query(
      `SELECT e.type, e.occurred_at, e.revenue::text, e.properties, e.dedupe_key FROM events e ORDER BY e.dedupe_key`,
    );
    expect(events.rows.map((e) => e.dedupe_key)).toEqual([
      'online-retail:500001',
      'online-retail:500002',
      'online-retail:500004',
      'online-retail:500005',
      'online-retail:500010',
      'online-retail:C500003',
      'online-retail:C500006',
    ]);
    expect(events.rows[0]).toEqual({
      type: 'order',
      occurred_at: shifted('2011-01-10T10:00:00Z'),
      revenue: '9.75',
      properties: { invoiceNo: '500001', lines: 2, quantity: 5 },
      dedupe_key: 'online-retail:500001',
    });
    expect(events.rows[3]!.occurred_at).toEqual(shifted('2011-04-01T09:00:00Z')); // 10:00 BST
    expect(events.rows[5]).toMatchObject({ type: 'order_cancelled', revenue: '-2.25', properties: { invoiceNo: 'C500003', lines: 1, quantity: -1 } });
    const dataset = await getPool().query(`SELECT source, shift_seconds, last_file, last_rows FROM datasets`);
    expect(dataset.rows).toEqual([{ source: 'online-retail', shift_seconds: SHIFT_DAYS * 86400, last_file: 'online_retail_small.csv.gz', last_rows: 12 }]);
  });

  it('changes nothing when the same file is imported again, even on another day', async () => {
    const before = { profiles: await checksum('profiles'), events: await checksum('events') };
    const report = await importOnlineRetail(firstFile, { now: LATER });
    expect(report).toMatchObject({
      profilesCreated: 0,
      profilesUpdated: 0,
      eventsInserted: { orders: 0, cancellations: 0 },
      eventsAlreadyPresent: 7,
      metricsChanged: 0,
      shift: { days: SHIFT_DAYS, fixedNow: false },
    });
    expect({ profiles: await checksum('profiles'), events: await checksum('events') }).toEqual(before);
  });

  it('adds what a later file brings and moves a customer to their newest country', async () => {
    const later = writeFixture('later.csv', [
      ONLINE_RETAIL_HEADER,
      '500011,A1,MUG,1,2011-07-05 10:00:00,4.0,100,France',
      '500012,Z,NEW,1,2011-07-06 10:00:00,1.0,400,Germany',
      '500001,A1,"MUG, RED",2,2011-01-10 10:00:00,1.5,100,United Kingdom',
      '500001,A2,PLATE,3,2011-01-10 10:00:00,2.25,100,United Kingdom',
    ]);
    const report = await importOnlineRetail(later, { now: LATER });
    expect(report).toMatchObject({ profilesCreated: 1, profilesUpdated: 1, eventsInserted: { orders: 2, cancellations: 0 }, eventsAlreadyPresent: 1 });
    expect(await profile('100')).toMatchObject({ country: 'France', order_count: 4, total_spent: '14.85', last_order_at: shifted('2011-07-05T09:00:00Z') });
    expect(await profile('400')).toMatchObject({ country: 'Germany', order_count: 1 });
  });

  it('reads Online Retail II files; older news moves first-seen back but keeps the newer country', async () => {
    const older = writeFixture('online_retail_II.csv', [ONLINE_RETAIL_II_HEADER, '490001,B2,LAMP,1,2010-05-01 10:00:00,5.0,200,Spain']);
    const report = await importOnlineRetail(older, { now: LATER });
    expect(report).toMatchObject({ format: 'online-retail-ii', profilesCreated: 0, profilesUpdated: 1, eventsInserted: { orders: 1 } });
    expect(await profile('200')).toMatchObject({
      country: 'Belgium',
      created_at: shifted('2010-05-01T09:00:00Z'),
      first_order_at: shifted('2010-05-01T09:00:00Z'),
      order_count: 3,
    });
  });

  it('refuses a missing file, a directory, a foreign header and a bad row, and writes nothing', async () => {
    const before = { profiles: await checksum('profiles'), events: await checksum('events'), datasets: await checksum('datasets') };
    await expect(importOnlineRetail('/no/such/file.csv.gz')).rejects.toThrow(new ImportError('File not found: /no/such/file.csv.gz'));
    const dir = mkdtempSync(path.join(tmpdir(), 'tagwise-dir-'));
    await expect(importOnlineRetail(dir)).rejects.toThrow(/is not a file/);
    const foreign = writeFixture('marketing_campaign.csv', ['ID,Year_Birth,Education', '5524,1957,Graduation']);
    await expect(importOnlineRetail(foreign)).rejects.toThrow(/does not look like a UCI Online Retail file/);
    const bad = writeFixture('bad.csv', [ONLINE_RETAIL_HEADER, '600001,A,B,1,2011-08-01 10:00:00,1.0,500,UK', '600002,A,B,lots,2011-08-01 10:00:00,1.0,500,UK']);
    await expect(importOnlineRetail(bad, { now: LATER })).rejects.toThrow('Data row 2: quantity "lots" is not a whole number');
    const notGzip = path.join(dir, 'broken.csv.gz');
    writeFileSync(notGzip, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]));
    await expect(importOnlineRetail(notGzip)).rejects.toThrow(/Cannot read .*broken\.csv\.gz/);
    const headerOnly = writeFixture('empty.csv', [ONLINE_RETAIL_HEADER]);
    expect(await importOnlineRetail(headerOnly, { now: LATER })).toMatchObject({ rowsRead: 0, shift: null, eventsInserted: { orders: 0 } });
    expect({ profiles: await checksum('profiles'), events: await checksum('events'), datasets: await checksum('datasets') }).toEqual(before);
    // the temporary tables went with each import
    expect(await count(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'import\\_%' AND relpersistence = 't'`)).toBe(0);
  });

  it('refuses a file that the stored shift would put in the future, and rolls back', async () => {
    await getPool().query(`TRUNCATE events, profiles, datasets CASCADE`);
    const older = writeFixture('older.csv', [ONLINE_RETAIL_II_HEADER, '490001,B2,LAMP,1,2010-05-01 10:00:00,5.0,200,Spain']);
    await importOnlineRetail(older, { now: FIRST_NOW }); // fixes the shift: 2010-05-01 becomes 2026-06-14
    const before = { profiles: await checksum('profiles'), events: await checksum('events') };
    await expect(importOnlineRetail(firstFile, { now: FIRST_NOW })).rejects.toThrow(/would put this file's last invoice in the future/);
    expect({ profiles: await checksum('profiles'), events: await checksum('events') }).toEqual(before);
  });
});
