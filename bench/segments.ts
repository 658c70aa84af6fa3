/**
 * `npm run bench:segments -- [--profiles N] [--segments K] [--samples S] [--repeat R] [--keep]`
 *
 * Segment evaluation speed on synthetic data generated in SQL: N profiles with orders, cancellations
 * and email opens, and K varied segments (a cycle of metric, event-window, text, date, NOT, nested-OR
 * and "is in segment" rules). Runs on an in-memory PGlite, or on DATABASE_URL (a scratch database is
 * created there and dropped afterwards).
 *
 * Prints the full re-evaluation (a first run that tags everyone, then an idle re-run that moves no
 * one) next to the floor, i.e. the bare `SELECT count(*) FROM profiles p WHERE <rules>` of every
 * segment summed; the per-profile re-evaluation after new data (an order arrives, then
 * evaluateProfiles([id]) against all K segments, p50/p95 over S profiles); the peak RSS of this
 * process; and last, one line of key=value figures. With --repeat R the floor and the idle run are
 * measured R times each and the best is kept (a shared machine is noisy).
 */
import { createScratchDatabase } from '../lib/db/scratch';
import pg from 'pg';
import { startEmbeddedPostgres } from '../lib/db/embedded';
import { applyMigrations } from '../lib/db/migrate';
import { closePool, getPool } from '../lib/db/pool';
import { recomputeMetrics } from '../lib/profiles/metrics';
import { compileRules } from '../lib/rules/compile';
import { parseRules } from '../lib/rules/parse';
import { evaluateProfiles, runSegmentEvaluation, type SegmentRunOutcome } from '../lib/segments/evaluate';
import { getWorkspaceTimeZone } from '../lib/settings/time-zone';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a whole number of at least 1`);
  return n;
};
const PROFILES = arg('profiles', 200_000);
const SEGMENT_COUNT = arg('segments', 20);
const SAMPLES = arg('samples', 200);
const REPEAT = arg('repeat', 1);
/** --keep: on PostgreSQL, leave the scratch database behind (its name is printed) to look at plans. */
const KEEP = process.argv.includes('--keep');

type Rules = Record<string, unknown>;
const all = (...rules: unknown[]): Rules => ({ combinator: 'and', rules });
const any = (...rules: unknown[]): Rules => ({ combinator: 'or', rules });
const not = (group: Rules): Rules => ({ ...group, not: true });
const rule = (field: string, operator: string, value?: unknown) => ({ field, operator, value });

/**
 * The cycle of segment shapes; `r` (the lap through the cycle) varies thresholds and windows so no
 * two segments are the same. `ref()` is a segment defined earlier, for "is in segment" conditions.
 */
const TEMPLATES: { name: string; rules: (r: number, ref: () => number) => Rules }[] = [
  { name: 'Repeat customers', rules: (r) => all(rule('orderCount', '>=', 2 + r)) },
  { name: 'Ordered recently', rules: (r) => all(rule('event:order', 'atLeast', { count: 1 + r, days: 30 * (1 + r) })) },
  { name: 'Lapsed loyal', rules: (r) => all(rule('orderCount', '>=', 4 + r), rule('lastOrderAt', 'moreThanDaysAgo', 90 + 60 * r)) },
  {
    name: 'Big spenders in core markets',
    rules: (r) => all(rule('country', 'in', r % 2 ? ['Germany', 'Netherlands'] : ['United Kingdom', 'France', 'EIRE']), rule('totalSpent', '>', 300 + 200 * r)),
  },
  {
    name: 'Org addresses or Lon cities',
    rules: (r) => any(rule('email', 'contains', r % 2 ? '7@example' : '.org'), rule('city', 'beginsWith', r % 2 ? 'Ber' : 'Lon')),
  },
  {
    name: 'Joined in a window, ordered this year',
    rules: (r) => all(rule('createdAt', 'between', [`${2024 + (r % 2)}-01-01`, `${2025 + (r % 2)}-06-30`]), rule('lastOrderAt', 'inLastDays', 365)),
  },
  {
    name: 'Not consented or abroad',
    rules: (r) => all(not(any(rule('emailConsent', 'isTrue'), rule('country', 'in', r % 2 ? ['Spain'] : ['United Kingdom', 'EIRE']))), rule('orderCount', '>=', 1)),
  },
  {
    name: 'Valuable or active without cancelling',
    rules: (r) =>
      any(
        all(rule('orderCount', '>=', 6 + r), rule('averageOrderValue', 'between', [20, 150])),
        all(rule('event:order', 'atLeast', { count: 2, days: 90 + 30 * r }), rule('event:order_cancelled', 'exactly', { count: 0, days: null })),
      ),
  },
  {
    name: 'Reading, not buying',
    // Email opens count as activity: active lately, yet no order for half a year.
    rules: (r) => all(rule('lastActivityAt', 'inLastDays', 30 + 15 * r), rule('event:order', 'atMost', { count: 0, days: 180 })),
  },
  {
    name: 'UK members of another segment',
    rules: (r, ref) => all(rule('segment', r % 2 ? 'notIn' : 'in', ref()), rule('country', '=', 'United Kingdom'), rule('firstName', 'notNull')),
  },
];

async function setUp(): Promise<{ url: string; kind: string; done: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL, 'tagwise_bench');
    return {
      url: scratch.url,
      kind: 'postgresql',
      done: async () => {
        if (KEEP) console.error(`kept database ${scratch.name}`);
        else await scratch.drop();
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
try {
  await applyMigrations(url);
  await bench();
} finally {
  await closePool();
  await done();
}

/**
 * Fills the database in SQL. The secondary indexes of profiles and events are dropped for the bulk
 * load and rebuilt from their own definitions afterwards (much faster than maintaining them row by
 * row); the schema stays exactly the migrated one.
 */
async function generate(client: pg.PoolClient, now: Date) {
  const phase = async (label: string, sql: string, params: unknown[] = []) => {
    const [, ms] = await timed(() => client.query(sql, params));
    console.log(`  ${label}: ${(ms / 1000).toFixed(1)} s`);
  };
  const secondary = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename IN ('profiles', 'events')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
  );
  for (const index of secondary.rows) await client.query(`DROP INDEX ${quoteIdent(index.name)}`);

  await client.query(`SELECT setseed(0.42)`);
  // Profiles: identity and attributes in realistic proportions (some fields empty).
  await phase(
    'profiles',
    `INSERT INTO profiles (external_id, email, first_name, country, city, email_consent, created_at, updated_at)
     SELECT 'c' || g,
            CASE WHEN g % 11 <> 0 THEN 'c' || g || CASE WHEN g % 7 = 0 THEN '@example.org' ELSE '@example.com' END END,
            CASE WHEN g % 5 <> 0 THEN (ARRAY['Ann','Ben','Chloé','Dev','Eve','Farid','Greta','Hiro'])[1 + (g % 8)] END,
            (ARRAY['United Kingdom','France','Germany','Spain','EIRE','Netherlands','United Kingdom','United Kingdom'])[1 + (g % 8)],
            (ARRAY['London','Leeds','Paris','Berlin','Madrid','Dublin','Lyon','Bern', NULL])[1 + (g % 9)],
            CASE g % 3 WHEN 0 THEN true WHEN 1 THEN false END,
            $2::timestamptz - make_interval(days => ((g::bigint * 7919) % 1100)::int),
            $2::timestamptz
       FROM generate_series(1, $1::int) g`,
    [PROFILES, now.toISOString()],
  );
  // Each profile gets an activity span some time in the last two years: a few buy often, most
  // rarely, a fifth never; lapsed customers are those whose span ended long ago.
  await client.query(
    `CREATE TEMP TABLE bench_activity AS
     SELECT id, floor(12 * power(random(), 2.2))::int AS orders, floor(5 * random())::int AS opens,
            random() * 600 AS ended_days_ago, 30 + random() * 400 AS span_days
       FROM profiles`,
  );
  await phase(
    'orders and email opens',
    `INSERT INTO events (profile_id, type, occurred_at, revenue)
     SELECT a.id, 'order', $1::timestamptz - make_interval(secs => 86400 * (a.ended_days_ago + random() * a.span_days)),
            round((5 + 150 * power(random(), 2))::numeric, 2)
       FROM bench_activity a, generate_series(1, a.orders) k
      WHERE a.id % 5 <> 0
     UNION ALL
     SELECT a.id, 'email_open', $1::timestamptz - make_interval(secs => 86400 * random() * 180), NULL
       FROM bench_activity a, generate_series(1, a.opens) k`,
    [now.toISOString()],
  );
  // About one order in twelve is cancelled later (negative revenue, as imports record them).
  await phase(
    'cancellations',
    `INSERT INTO events (profile_id, type, occurred_at, revenue)
     SELECT profile_id, 'order_cancelled', occurred_at + interval '2 days', -revenue
       FROM events WHERE type = 'order' AND id % 12 = 0 AND occurred_at + interval '2 days' < $1::timestamptz`,
    [now.toISOString()],
  );
  const [, metricsMs] = await timed(() => recomputeMetrics(client));
  console.log(`  metrics: ${(metricsMs / 1000).toFixed(1)} s`);
  const [, indexMs] = await timed(async () => {
    for (const index of secondary.rows) await client.query(index.definition);
  });
  console.log(`  indexes: ${(indexMs / 1000).toFixed(1)} s`);
  // What autovacuum would have done by the time anyone evaluates: statistics and visibility maps.
  await phase('vacuum', 'VACUUM ANALYZE');
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function bench() {
  const pool = getPool();
  const now = new Date();

  console.log(`db=${kind}: generating ${PROFILES.toLocaleString()} profiles and their events in SQL…`);
  const loader = await pool.connect();
  const [, genMs] = await timed(() => generate(loader, now).finally(() => loader.release()));
  const events = (await pool.query<{ n: number }>(`SELECT count(*)::int n FROM events`)).rows[0]!.n;
  console.log(`generated ${PROFILES.toLocaleString()} profiles, ${events.toLocaleString()} events in ${(genMs / 1000).toFixed(1)} s`);

  const defined: { id: number; name: string; rules: Rules }[] = [];
  for (let i = 0; i < SEGMENT_COUNT; i++) {
    const template = TEMPLATES[i % TEMPLATES.length]!;
    const lap = Math.floor(i / TEMPLATES.length);
    // Refers to the metric or event segment of the same lap, defined before it.
    const rules = template.rules(lap, () => defined[lap * TEMPLATES.length + (lap % 2)]!.id);
    const name = `${template.name}${lap ? ` #${lap + 1}` : ''}`;
    const row = await pool.query<{ id: number }>(`INSERT INTO segments (name, rules, updated_at) VALUES ($1, $2, now()) RETURNING id`, [name, JSON.stringify(rules)]);
    defined.push({ id: row.rows[0]!.id, name, rules });
  }

  const run = async () => {
    const [result, ms] = await timed(() => runSegmentEvaluation({ trigger: 'MANUAL', now }));
    if (result.status !== 'completed') throw new Error('a run was unexpectedly busy');
    const failed = result.segments.find((s) => s.error);
    if (failed) throw new Error(`segment ${failed.name} failed: ${failed.error}`);
    return { segments: result.segments, ms };
  };
  const first = await run();
  // The first run wrote a tag and a change row per member; autovacuum would deal with them well
  // before the next scheduled run (statistics, visibility maps), so the steady state is measured.
  await pool.query('VACUUM ANALYZE segment_memberships, segment_membership_changes');

  // The floor, after the first run so that "is in segment" conditions read real tags, as in the idle run.
  const timeZone = await getWorkspaceTimeZone(pool);
  // With the server's settings as they are; `jit: false` measures it once more without JIT
  // compilation, which evaluation turns off for its own statements, for an honest comparison.
  const floorOnce = async (options: { jit?: false } = {}) => {
    const perSegment = new Map<number, number>();
    const client = await pool.connect();
    try {
      if (options.jit === false) await client.query(`SET jit = off`);
      for (const s of defined) {
        const parsed = parseRules(s.rules);
        if (!parsed.ok) throw new Error(`bench rules invalid: ${s.name}: ${JSON.stringify(parsed.problems)}`);
        const { where, params } = compileRules(parsed.tree, now, { timeZone });
        const [, ms] = await timed(() => client.query(`SELECT count(*) FROM profiles p WHERE ${where}`, params));
        perSegment.set(s.id, ms);
      }
    } finally {
      if (options.jit === false) await client.query(`RESET jit`);
      client.release();
    }
    return perSegment;
  };
  const total = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  let floor = await floorOnce();
  let idle = await run();
  for (let i = 1; i < REPEAT; i++) {
    const f = await floorOnce();
    if (total(f) < total(floor)) floor = f;
    const r = await run();
    if (r.ms < idle.ms) idle = r;
  }
  const floorNoJit = await floorOnce({ jit: false });
  const moved = idle.segments.find((s) => s.entered !== 0 || s.left !== 0);
  if (moved) throw new Error(`idle re-run moved profiles in ${moved.name}`);

  console.log(`\n${'segment'.padEnd(42)} ${'members'.padStart(8)} ${'first run'.padStart(10)} ${'idle run'.padStart(9)} ${'floor'.padStart(8)} ${'idle/floor'.padStart(10)}`);
  const byId = (list: SegmentRunOutcome[], id: number) => list.find((x) => x.id === id)!;
  for (const s of first.segments) {
    const again = byId(idle.segments, s.id);
    const f = floor.get(s.id)!;
    console.log(
      `${s.name.padEnd(42)} ${String(s.members).padStart(8)} ${`${s.ms} ms`.padStart(10)} ${`${again.ms} ms`.padStart(9)} ${`${f.toFixed(0)} ms`.padStart(8)} ${(again.ms / Math.max(f, 1)).toFixed(2).padStart(10)}`,
    );
  }

  // New data for one profile at a time: an order arrives (metrics follow, as ingestion does), then
  // that profile is re-evaluated against every segment. Only the re-evaluation is timed.
  const latencies: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const id = 1 + ((i * 7919 + 13) % PROFILES);
    await pool.query(`INSERT INTO events (profile_id, type, occurred_at, revenue) VALUES ($1, 'order', $2, 25)`, [id, new Date(now.getTime() - 60_000).toISOString()]);
    await recomputeMetrics(pool, [id]);
    const [result, ms] = await timed(() => evaluateProfiles([id], { now }));
    if (result?.segments.length !== defined.length) throw new Error(`per-profile run evaluated ${result?.segments.length} of ${defined.length} segments`);
    latencies.push(ms);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;

  const floorMs = total(floor);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`\nfull run: first ${(first.ms / 1000).toFixed(2)} s (first/floor ${(first.ms / floorMs).toFixed(2)}), idle ${(idle.ms / 1000).toFixed(2)} s; floor ${(floorMs / 1000).toFixed(2)} s`);
  console.log(`floor without JIT ${(total(floorNoJit) / 1000).toFixed(2)} s: idle/floor ${(idle.ms / total(floorNoJit)).toFixed(2)}, first/floor ${(first.ms / total(floorNoJit)).toFixed(2)}`);
  console.log(`per-profile re-evaluation against ${defined.length} segments: p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms over ${SAMPLES} profiles`);
  console.log(`events=${events} first_s=${(first.ms / 1000).toFixed(2)} first_ratio=${(first.ms / floorMs).toFixed(2)} generate_s=${(genMs / 1000).toFixed(1)}`);
  console.log(
    `db=${kind} profiles=${PROFILES} segments=${defined.length} full_s=${(idle.ms / 1000).toFixed(2)} floor_s=${(floorMs / 1000).toFixed(2)} ratio=${(idle.ms / floorMs).toFixed(2)} incr_p50_ms=${pct(50).toFixed(1)} incr_p95_ms=${pct(95).toFixed(1)} rss_mb=${rssMb.toFixed(0)}`,
  );
}
