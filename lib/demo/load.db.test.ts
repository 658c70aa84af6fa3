import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { ONLINE_RETAIL_HEADER, writeFixture } from '../import/testing';
import { useTestDatabase } from '../test/database';
import { loadDemoIfEmpty } from './load';
import { DEMO_AUDIENCES, DEMO_COLUMNS, DEMO_SEGMENTS } from './seed';

useTestDatabase();

const NOW = new Date('2026-03-10T12:00:00Z');

// 1: one recent order. 2: six old orders worth £6,000, in France. 3: an old and a recent order, then a cancellation.
const orders: [string, string, number, string, string][] = [
  ...['01-10', '02-10', '03-10', '04-10', '05-10', '06-10'].map((d, i): [string, string, number, string, string] => [`60000${i}`, `2011-${d} 10:00:00`, 1000, '2', 'France']),
  ['600010', '2011-03-01 10:00:00', 20, '3', 'United Kingdom'],
  ['600011', '2011-12-01 10:00:00', 30, '3', 'United Kingdom'],
  ['C600012', '2011-12-02 10:00:00', -30, '3', 'United Kingdom'],
  ['600013', '2011-12-09 12:50:00', 15, '1', 'United Kingdom'],
];
const FILE = writeFixture(
  'demo.csv.gz',
  [ONLINE_RETAIL_HEADER, ...orders.map(([inv, at, price, customer, country]) => `${inv},X,ITEM,${price < 0 ? -1 : 1},${at},${Math.abs(price)},${customer},${country}`)],
  { gzip: true },
);

describe('loadDemoIfEmpty', () => {
  let adminId: number;
  beforeAll(async () => {
    const r = await getPool().query<{ id: number }>(
      `INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('admin@example.test', 'Admin', 'x', 'ADMIN', now()) RETURNING id`,
    );
    adminId = r.rows[0]!.id;
  });

  it('starts without demo data when the file is missing', async () => {
    const lines: string[] = [];
    expect(await loadDemoIfEmpty({ log: (l) => lines.push(l), file: '/no/such/demo.csv.gz', now: NOW })).toBe(false);
    expect(lines).toEqual(['no profiles yet, and no demo file at /no/such/demo.csv.gz: starting without demo data']);
  });

  it('imports, creates the demo segments and audiences, and tags members in one run', async () => {
    const lines: string[] = [];
    expect(await loadDemoIfEmpty({ log: (l) => lines.push(l), file: FILE, now: NOW })).toBe(true);
    expect(lines.join('\n')).toMatch(/loading the demo data[\s\S]*profiles: 3 created[\s\S]*demo segments created: One-time purchasers[\s\S]*first evaluation/);

    const segments = await getPool().query<{ name: string; member_count: number; created_by_id: number; status: string }>(
      `SELECT name, member_count, created_by_id, status FROM segments ORDER BY id`,
    );
    expect(segments.rows.map((s) => s.name)).toEqual(DEMO_SEGMENTS.map((s) => s.name));
    expect(segments.rows.every((s) => s.created_by_id === adminId && s.status === 'ACTIVE')).toBe(true);
    expect(Object.fromEntries(segments.rows.map((s) => [s.name, s.member_count]))).toEqual({
      'One-time purchasers': 1,
      'Repeat customers': 2,
      'Lapsed loyal customers': 1,
      'Bought in the last 30 days': 2,
      'New customers': 1,
      'High value': 1,
      'Outside the UK': 1,
      'Recent cancellers': 1,
    });
    const tagged = await getPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM segment_memberships m JOIN segment_runs r ON r.id = m.run_id WHERE r.status = 'SUCCEEDED' AND r.trigger = 'MANUAL'`,
    );
    expect(tagged.rows[0]!.n).toBe(10);

    const audiences = await getPool().query(`SELECT name, columns, created_by_id FROM audiences ORDER BY id`);
    expect(audiences.rows).toEqual(DEMO_AUDIENCES.map((a) => ({ name: a.name, columns: DEMO_COLUMNS, created_by_id: adminId })));
  });

  it('does nothing once there are profiles', async () => {
    const lines: string[] = [];
    expect(await loadDemoIfEmpty({ log: (l) => lines.push(l), file: FILE, now: NOW })).toBe(false);
    expect(lines).toEqual([]);
    const counts = await getPool().query(
      `SELECT (SELECT count(*) FROM segments)::int AS segments, (SELECT count(*) FROM audiences)::int AS audiences, (SELECT count(*) FROM segment_runs)::int AS runs`,
    );
    expect(counts.rows[0]).toEqual({ segments: DEMO_SEGMENTS.length, audiences: DEMO_AUDIENCES.length, runs: 1 });
  });
});
