/**
 * `npm run bench -- [--profiles N]`: segment evaluation speed on synthetic data generated in SQL.
 * Runs on an in-memory PGlite, or on DATABASE_URL (a scratch database is created and dropped there).
 * Prints, per segment, the time of the full re-tagging (compute, swap, log) next to the time of the
 * bare SELECT count(*) of the same rules (the floor), the per-profile re-evaluation after new data
 * (p50/p95 over 200 single profiles against all segments), peak memory, then key=value figures on one line.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from '../lib/db/embedded';
import { applyMigrations } from '../lib/db/migrate';
import { closePool, getPool } from '../lib/db/pool';
import { compileRules } from '../lib/rules/compile';
import { parseRules } from '../lib/rules/parse';
import { evaluateProfiles, runSegmentEvaluation } from '../lib/segments/evaluate';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const PROFILES = arg('profiles', 200_000);

const SEGMENTS: Record<string, unknown> = {
  'Repeat customers': { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 2 }] },
  'Bought in the last 30 days': { combinator: 'and', rules: [{ field: 'event:order', operator: 'atLeast', value: { count: 1, days: 30 } }] },
  'Lapsed loyal': {
    combinator: 'and',
    rules: [
      { field: 'orderCount', operator: '>=', value: 5 },
      { field: 'lastOrderAt', operator: 'moreThanDaysAgo', value: 90 },
    ],
  },
  'Five conditions': {
    combinator: 'and',
    rules: [
      { field: 'country', operator: 'in', value: ['United Kingdom', 'France', 'Germany'] },
      { field: 'totalSpent', operator: '>', value: 100 },
      { field: 'orderCount', operator: 'between', value: [2, 20] },
      { field: 'lastOrderAt', operator: 'inLastDays', value: 365 },
      { combinator: 'or', not: true, rules: [{ field: 'email', operator: 'endsWith', value: '@example.org' }] },
    ],
  },
};

async function setUp(): Promise<{ url: string; kind: string; done: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const name = `tagwise_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: 'postgresql',
      done: async () => {
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  return { url: embedded.url, kind: 'pglite', done: () => embedded.stop() };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

const { url, kind, done } = await setUp();
process.env.DATABASE_URL = url;
await applyMigrations(url);
const pool = getPool();
const now = new Date();

console.log(`db=${kind}: generating ${PROFILES.toLocaleString()} profiles and their orders in SQL…`);
const [, genMs] = await timed(async () => {
  await pool.query(`SELECT setseed(0.42)`);
  await pool.query(
    `INSERT INTO profiles (external_id, email, country, created_at)
     SELECT 'c' || g, 'c' || g || CASE WHEN g % 7 = 0 THEN '@example.org' ELSE '@example.com' END,
            (ARRAY['United Kingdom','France','Germany','Spain','EIRE','Netherlands'])[1 + (g % 6)],
            $2::timestamptz - make_interval(days => (g % 700))
       FROM generate_series(1, $1::int) g`,
    [PROFILES, now.toISOString()],
  );
  await pool.query(
    `INSERT INTO events (profile_id, type, occurred_at, revenue)
     SELECT p.id, 'order', $1::timestamptz - make_interval(days => floor(random() * 720)::int), round((random() * 200)::numeric, 2)
       FROM profiles p, generate_series(1, 1 + (p.id % 9)) k
      WHERE p.id % 5 <> 0`,
    [now.toISOString()],
  );
  await pool.query(
    `UPDATE profiles p SET order_count = a.n, total_spent = a.total, first_order_at = a.first, last_order_at = a.last, last_activity_at = a.last
       FROM (SELECT profile_id, count(*)::int n, sum(revenue) total, min(occurred_at) first, max(occurred_at) last FROM events GROUP BY profile_id) a
      WHERE a.profile_id = p.id`,
  );
  await pool.query('ANALYZE');
});
const events = (await pool.query<{ n: number }>(`SELECT count(*)::int n FROM events`)).rows[0]!.n;
console.log(`generated ${PROFILES.toLocaleString()} profiles, ${events.toLocaleString()} events in ${(genMs / 1000).toFixed(1)} s`);

for (const [name, rules] of Object.entries(SEGMENTS)) {
  await pool.query(`INSERT INTO segments (name, rules, updated_at) VALUES ($1, $2, now())`, [name, JSON.stringify(rules)]);
}

const floors = new Map<string, number>();
for (const [name, rules] of Object.entries(SEGMENTS)) {
  const parsed = parseRules(rules);
  if (!parsed.ok) throw new Error(`bench rules invalid: ${name}`);
  const { where, params } = compileRules(parsed.tree, now);
  await pool.query(`SELECT count(*) FROM profiles p WHERE ${where}`, params); // warm
  const [, ms] = await timed(() => pool.query(`SELECT count(*) FROM profiles p WHERE ${where}`, params));
  floors.set(name, ms);
}

const [first, firstMs] = await timed(() => runSegmentEvaluation({ trigger: 'MANUAL', now }));
const [idle, idleMs] = await timed(() => runSegmentEvaluation({ trigger: 'MANUAL', now }));
if (first.status !== 'completed' || idle.status !== 'completed') throw new Error('a run was unexpectedly busy');

console.log('\nsegment                        members   first run   idle re-run   count floor   idle/floor');
for (const s of first.segments) {
  const again = idle.segments.find((x) => x.id === s.id)!;
  const floor = floors.get(s.name)!;
  console.log(
    `${s.name.padEnd(30)} ${String(s.members).padStart(8)} ${`${s.ms} ms`.padStart(11)} ${`${again.ms} ms`.padStart(13)} ${`${floor.toFixed(0)} ms`.padStart(13)} ${(again.ms / Math.max(floor, 1)).toFixed(2).padStart(11)}`,
  );
  if (again.entered !== 0 || again.left !== 0) throw new Error(`idle re-run moved profiles in ${s.name}`);
}
// New data for one profile at a time: an order arrives, that profile is re-evaluated against every segment.
const latencies: number[] = [];
for (let i = 0; i < 200; i++) {
  const id = 1 + ((i * 7919) % PROFILES);
  await pool.query(`INSERT INTO events (profile_id, type, occurred_at, revenue) VALUES ($1, 'order', $2, 25)`, [id, now.toISOString()]);
  const [, ms] = await timed(() => evaluateProfiles([id], { now }));
  latencies.push(ms);
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
console.log(`\nper-profile re-evaluation against ${first.segments.length} segments: p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms`);

const floorTotal = [...floors.values()].reduce((a, b) => a + b, 0);
console.log(
  `\ndb=${kind} profiles=${PROFILES} events=${events} segments=${first.segments.length} first_run_ms=${firstMs.toFixed(0)} idle_run_ms=${idleMs.toFixed(0)} floor_ms=${floorTotal.toFixed(0)} idle_ratio=${(idleMs / floorTotal).toFixed(2)} incr_p50_ms=${pct(50).toFixed(1)} incr_p95_ms=${pct(95).toFixed(1)} rss_mb=${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`,
);
await closePool();
await done();
