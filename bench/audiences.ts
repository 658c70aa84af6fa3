/**
 * `npm run bench:audiences -- [--rows N]`: freezing and downloading audiences, measured.
 * Runs on an in-memory PGlite, or on DATABASE_URL (a scratch database is created and dropped there).
 *
 * For each N (default 10k, 100k and 1M; `--rows N` for one size) it makes N synthetic profiles
 * in SQL and an audience matching exactly them, then prints:
 * - freeze: freezeAudience (lock, counter, version row, one INSERT … SELECT of the rendered rows, audit);
 * - floor: the bare INSERT … SELECT of the same rows and cells into a table shaped like
 *   audience_snapshot_rows (same primary key and indexes; no trigger, foreign key or CTE);
 * - CSV: the app's download stream of that version read to the end, in a child process, so its
 *   peak RSS is the download's own (the parent holds PGlite and the generated data);
 * - COPY: PostgreSQL's `COPY (SELECT cells[1], … ORDER BY row_no) TO STDOUT (FORMAT csv, HEADER)`
 *   of the same rows, read to the end through pg-copy-streams;
 * and ends with one line of key=value figures for the largest N.
 */
import { createScratchDatabase } from '../lib/db/scratch';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { freezeAudience } from '../lib/audiences/freeze';
import { EXPORT_PAGE_SIZE, findExportableVersion, versionCsvStream } from '../lib/audiences/export';
import { cellsSql, parseColumns } from '../lib/audiences/columns';
import { startEmbeddedPostgres } from '../lib/db/embedded';
import { applyMigrations } from '../lib/db/migrate';
import { closePool, getPool } from '../lib/db/pool';
import { compileRules } from '../lib/rules/compile';
import { parseRules } from '../lib/rules/parse';

const COLUMNS = ['externalId', 'email', 'firstName', 'country', 'orderCount', 'totalSpent', 'lastOrderAt'];

interface StreamResult {
  rows: number;
  bytes: number;
  seconds: number;
  rssPeakMb: number;
  rssStartMb: number;
}

// ---- child: stream one version's CSV and report speed and memory ----------------------------
if (process.argv[2] === '--child-stream') {
  const [audienceId, number] = [Number(process.argv[3]), Number(process.argv[4])];
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > rssPeak) {
      rssPeak = m.rss;
      atPeak = m;
    }
  }, 10);
  const version = await findExportableVersion(audienceId, number);
  const started = performance.now();
  const reader = versionCsvStream(version, EXPORT_PAGE_SIZE).getReader();
  let bytes = 0;
  let lineEnds = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    // Records end with CRLF; count LFs preceded by CR (no cell in this data holds a line break).
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lineEnds++;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  // Sampled, not resourceUsage().maxRSS: Linux keeps ru_maxrss across execve, so a child's would
  // include the parent's size at the fork (PGlite's gigabyte).
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  await closePool();
  if (process.env.BENCH_MEMORY_DEBUG) console.error(JSON.stringify(Object.fromEntries(Object.entries(atPeak).map(([k, v]) => [k, Math.round(v / 1048576)]))));
  const result: StreamResult = { rows: lineEnds - 1, bytes, seconds, rssPeakMb: rssPeak / 1024 / 1024, rssStartMb: rssStart / 1024 / 1024 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

// ---- parent ----------------------------------------------------------------------------------
const rowsArg = process.argv.indexOf('--rows');
const SIZES = rowsArg >= 0 ? [Number(process.argv[rowsArg + 1])] : [10_000, 100_000, 1_000_000];
if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error('usage: npm run bench:audiences -- [--rows N]');
  process.exit(2);
}

async function setUp(): Promise<{ url: string; kind: string; done: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL, 'tagwise_bench');
    return { url: scratch.url, kind: 'postgresql', done: scratch.drop };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  process.env.TAGWISE_DB_KIND = 'pglite'; // the download takes its PGlite path (in the child too)
  return { url: embedded.url, kind: 'pglite', done: () => embedded.stop() };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, (performance.now() - start) / 1000];
}

function streamInChild(url: string, audienceId: number, number: number): Promise<StreamResult> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, self, '--child-stream', String(audienceId), String(number)], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as StreamResult) : reject(new Error(`stream child exited ${code}`))));
  });
}

/** COPY … TO STDOUT read to the end through pg-copy-streams, the same client library the download uses. */
async function copyOut(url: string, sql: string): Promise<{ bytes: number; rows: number; seconds: number } | { error: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let bytes = 0;
  let lineEnds = 0;
  try {
    const [, seconds] = await timed(async () => {
      for await (const chunk of client.query(copyTo(sql)) as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lineEnds++;
      }
    });
    return { bytes, rows: lineEnds - 1, seconds };
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    await client.end();
  }
}

const { url, kind, done } = await setUp();
process.env.DATABASE_URL = url;
await applyMigrations(url);
const pool = getPool();
const columns = parseColumns(COLUMNS);
if (!columns.ok) throw new Error(columns.message);

console.log(`db=${kind}: generating ${SIZES.map((n) => n.toLocaleString()).join(' + ')} profiles in SQL…`);
const [, genS] = await timed(async () => {
  for (const n of SIZES) {
    await pool.query(
      `INSERT INTO profiles (external_id, email, first_name, country, order_count, total_spent, last_order_at, created_at)
       SELECT 'b' || $1::int || '-' || g, 'b' || $1::int || '-' || g || '@example.com', (ARRAY['Ann','Bob','Zoë','O''Brien','=cmd'])[1 + g % 5],
              'bench-' || $1::int, g % 40, round((g % 10000) / 7.0, 2), timestamptz '2026-01-01' + make_interval(mins => g), now()
         FROM generate_series(1, $1::int) g`,
      [n],
    );
  }
  await pool.query('ANALYZE');
});
console.log(`generated in ${genS.toFixed(1)} s\n`);

await pool.query(`CREATE TABLE bench_floor (LIKE audience_snapshot_rows INCLUDING ALL)`);

interface Figures {
  rows: number;
  freezeS: number;
  floorS: number;
  csv: StreamResult;
  copy: { bytes: number; rows: number; seconds: number } | { error: string };
}
const results: Figures[] = [];

for (const n of SIZES) {
  const rules = { combinator: 'and', rules: [{ field: 'country', operator: '=', value: `bench-${n}` }] };
  const parsed = parseRules(rules);
  if (!parsed.ok) throw new Error('bench rules invalid');
  const audience = (
    await pool.query<{ id: number }>(`INSERT INTO audiences (name, rules, columns, updated_at) VALUES ($1, $2::jsonb, $3::jsonb, now()) RETURNING id`, [
      `Bench ${n}`,
      JSON.stringify(rules),
      JSON.stringify(COLUMNS),
    ])
  ).rows[0]!.id;
  const now = new Date();
  const { where, params } = compileRules(parsed.tree, now, { paramOffset: 0 });
  await pool.query(`SELECT count(*) FROM profiles p WHERE ${where}`, params); // warm the profiles' pages

  const floorSql = `INSERT INTO bench_floor (version_id, row_no, profile_id, cells)
                    SELECT 0, (row_number() OVER (ORDER BY p.id))::int, p.id, ${cellsSql(columns.columns)} FROM profiles p WHERE ${where}`;
  const [, floorS] = await timed(() => pool.query(floorSql, params));
  await pool.query(`TRUNCATE bench_floor`);
  const [frozen, freezeS] = await timed(() => freezeAudience(audience, null, now));
  if (frozen.rowCount !== n) throw new Error(`froze ${frozen.rowCount} rows, expected ${n}`);
  // Again the other way round, so neither benefits from going second; keep the faster of each.
  const [, floorS2] = await timed(() => pool.query(floorSql, params));
  await pool.query(`TRUNCATE bench_floor`);
  const [, freezeS2] = await timed(() => freezeAudience(audience, null, now));
  await pool.query(`VACUUM ANALYZE audience_snapshot_rows`);

  // The machine is shared: stream and COPY take turns three times; the best of each is kept
  // (and the highest peak RSS of the downloads).
  const cells = COLUMNS.map((key, i) => `cells[${i + 1}] AS ${key}`).join(', ');
  const copySql = `COPY (SELECT ${cells} FROM audience_snapshot_rows WHERE version_id = ${frozen.versionId} ORDER BY row_no) TO STDOUT (FORMAT csv, HEADER)`;
  const streams: StreamResult[] = [];
  const copies: Awaited<ReturnType<typeof copyOut>>[] = [];
  for (let round = 0; round < 3; round++) {
    const c = await streamInChild(url, audience, frozen.number);
    if (c.rows !== n) throw new Error(`CSV has ${c.rows} rows, expected ${n}`);
    streams.push(c);
    copies.push(await copyOut(url, copySql));
  }
  const fastest = streams.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const csv: StreamResult = { ...fastest, rssPeakMb: Math.max(...streams.map((x) => x.rssPeakMb)) };
  const copyOk = copies.filter((x): x is { bytes: number; rows: number; seconds: number } => !('error' in x));
  const copy = copyOk.length ? copyOk.reduce((a, b) => (b.seconds < a.seconds ? b : a)) : copies[0]!;
  results.push({ rows: n, freezeS: Math.min(freezeS, freezeS2), floorS: Math.min(floorS, floorS2), csv, copy });
  const copyText = 'error' in copy ? `COPY unavailable (${copy.error.slice(0, 80)})` : `COPY ${Math.round(copy.rows / copy.seconds).toLocaleString()} rows/s`;
  console.log(
    `${n.toLocaleString().padStart(9)} rows: freeze ${Math.min(freezeS, freezeS2).toFixed(2)} s, floor ${Math.min(floorS, floorS2).toFixed(2)} s; ` +
      `CSV ${Math.round(csv.rows / csv.seconds).toLocaleString()} rows/s (${(csv.bytes / 1024 / 1024).toFixed(1)} MB in ${csv.seconds.toFixed(2)} s), ${copyText}; ` +
      `download peak RSS ${csv.rssPeakMb.toFixed(0)} MB`,
  );
}

const last = results[results.length - 1]!;
const csvRate = last.csv.rows / last.csv.seconds;
const copyRate = 'error' in last.copy ? null : last.copy.rows / last.copy.seconds;
if (results.length > 1) {
  console.log(`\npeak RSS of the download: ${results.map((r) => `${r.rows.toLocaleString()} rows ${r.csv.rssPeakMb.toFixed(0)} MB`).join(', ')}`);
}
console.log(
  `\ndb=${kind} rows=${last.rows} freeze_s=${last.freezeS.toFixed(3)} floor_s=${last.floorS.toFixed(3)} freeze_ratio=${(last.freezeS / last.floorS).toFixed(2)} ` +
    `csv_rows_per_s=${Math.round(csvRate)} copy_rows_per_s=${copyRate === null ? 'n/a' : Math.round(copyRate)} csv_ratio=${copyRate === null ? 'n/a' : (csvRate / copyRate).toFixed(2)} ` +
    `rss_mb=${last.csv.rssPeakMb.toFixed(0)}`,
);
await closePool();
await done();
