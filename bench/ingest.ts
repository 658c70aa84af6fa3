/**
 * `npm run bench:ingest -- [--duration 60] [--connections 100] [--batch 20] [--users 20000] [--rate 0] [--port 3801]`
 *
 * Ingest under load, end to end: starts the real app server (scripts/start.ts: a production build,
 * `next start`, the demo data and its segments, so every accepted request re-evaluates its profiles
 * against real segments before it is answered), on a fresh embedded PGlite, or on a scratch database of
 * the PostgreSQL server in DATABASE_URL (created and dropped). It creates a write key, then autocannon
 * drives POST /api/v1/t/batch with `--connections` connections for `--duration` seconds, each request a
 * batch of `--batch` track calls with unique messageIds over a pool of `--users` users (views, carts,
 * orders, cancellations). `--rate N` caps the offered load at N requests/s overall (0: as fast as the
 * server answers).
 *
 * Only 200 answers count as sent. Requests that autocannon cut off when the time was up, or that failed,
 * are then sent again until answered, as an SDK retries; being idempotent, the server stores none of
 * them twice. Then sent and stored events must be equal. Prints events/s and latency of the timed
 * window, then one line of key=value figures.
 */
import { createScratchDatabase } from '../lib/db/scratch';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { findRunningEmbeddedServer } from '../lib/db/embedded';
import { closePool, getPool } from '../lib/db/pool';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
};
const DURATION = arg('duration', 60);
const CONNECTIONS = arg('connections', 100);
const BATCH = arg('batch', 20);
const USERS = arg('users', 20_000);
const RATE = arg('rate', 0);
const PORT = arg('port', 3801);
const log = (line: string) => console.log(`[bench:ingest] ${line}`);

const ADMIN = { email: 'bench-admin@tagwise.test', password: 'bench-admin-password' };
const runId = randomBytes(4).toString('hex');

async function database(): Promise<{ kind: 'pglite' | 'postgresql'; env: Record<string, string>; url: () => string; drop: () => Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (server) {
    const scratch = await createScratchDatabase(server, 'tagwise_bench_ingest', `tagwise_bench_ingest_${runId}`);
    return { kind: 'postgresql', env: { DATABASE_URL: scratch.url }, url: () => scratch.url, drop: scratch.drop };
  }
  const dataDir = path.resolve('.data/bench-ingest/pglite');
  rmSync(path.dirname(dataDir), { recursive: true, force: true });
  return {
    kind: 'pglite',
    env: { DATABASE_URL: '', PGLITE_DIR: dataDir },
    // The server process owns the embedded database; we connect through its socket.
    url: () => {
      const running = findRunningEmbeddedServer(dataDir);
      if (!running) throw new Error('the embedded database of the server is not up');
      return running.url;
    },
    drop: async () => rmSync(path.dirname(dataDir), { recursive: true, force: true }),
  };
}

function startServer(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'], {
    env: { ...process.env, ...env, PORT: String(PORT), HOST: '127.0.0.1', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SEGMENT_SCHEDULE: 'off', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) console.log(`  [server] ${line}`);
  };
  child.stdout!.on('data', relay);
  child.stderr!.on('data', relay);
  return child;
}

async function waitForHealth(child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/api/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the server did not come up in time');
}

const EVENTS: [number, (n: number) => { event: string; properties: Record<string, unknown> }][] = [
  [0.6, (n) => ({ event: 'Product Viewed', properties: { sku: `SKU-${n % 500}`, price: 4.95 } })],
  [0.15, (n) => ({ event: 'Product Added', properties: { sku: `SKU-${n % 500}`, quantity: 1 + (n % 3) } })],
  [0.2, (n) => ({ event: 'Order Completed', properties: { orderId: `O-${runId}-${n}`, revenue: Math.round(((n * 37) % 20000) + 500) / 100, currency: 'GBP' } })],
  [0.05, (n) => ({ event: 'Order Cancelled', properties: { orderId: `C-${runId}-${n}`, total: 12.5 } })],
];
function pick(r: number) {
  let acc = 0;
  for (const [p, make] of EVENTS) if ((acc += p) >= r) return make;
  return EVENTS[0]![1];
}

/** One batch as analytics-node sends it: timestamps on the client's clock and the batch's sentAt. */
function batchBody(prefix: string, requestNo: number): string {
  const now = new Date().toISOString();
  const batch = Array.from({ length: BATCH }, (_, i) => {
    const n = requestNo * BATCH + i;
    const user = Math.floor(Math.random() * USERS);
    return { type: 'track', messageId: `${prefix}-${requestNo}-${i}`, userId: `bench-user-${user}`, timestamp: now, ...pick(Math.random())(n), context: { library: { name: 'bench' } } };
  });
  return JSON.stringify({ batch, sentAt: now });
}

/** Server-Timing phases of the 200 answers: read (auth, body, validation), store (the transaction), tags (re-evaluation). */
const phases = new Map<string, number[]>();
function recordTiming(header: string | undefined): void {
  for (const part of (header ?? '').split(',')) {
    const m = /^\s*(\w+);dur=([\d.]+)/.exec(part);
    if (!m) continue;
    if (!phases.has(m[1]!)) phases.set(m[1]!, []);
    phases.get(m[1]!)!.push(Number(m[2]));
  }
}
function phaseSummary(): string {
  return [...phases]
    .map(([name, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(0);
      return `${name} p50 ${at(0.5)} ms / p99 ${at(0.99)} ms`;
    })
    .join('; ');
}

interface Load {
  result: autocannon.Result;
  answered: number;
  leftovers: Map<number, string>;
}

function drive(prefix: string, key: string, options: { duration: number; connections: number; rate: number }): Promise<Load> {
  let next = 0;
  const inflight = new Map<number, string>();
  const leftovers = new Map<number, string>();
  let answered = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${PORT}/api/v1/t/batch`,
        method: 'POST',
        connections: options.connections,
        duration: options.duration,
        timeout: 30,
        ...(options.rate ? { overallRate: options.rate } : {}),
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
        requests: [
          {
            setupRequest: (request, context) => {
              const n = next++;
              const body = batchBody(prefix, n);
              context.n = n;
              inflight.set(n, body);
              return { ...request, body };
            },
            onResponse: (status, _body, context, headers) => {
              const n = context.n as number;
              recordTiming(headers['server-timing'] ?? headers['Server-Timing']);
              const body = inflight.get(n);
              inflight.delete(n);
              if (status === 200) answered++;
              else if (body) leftovers.set(n, body);
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        for (const [n, body] of inflight) leftovers.set(n, body);
        resolve({ result, answered, leftovers });
      },
    );
    process.once('SIGINT', () => instance.stop());
  });
}

/** Sends cut-off or failed requests again until they are answered 200 (as a client library's retries). */
async function resend(key: string, leftovers: Map<number, string>): Promise<{ answered: number; gaveUp: number }> {
  let answered = 0, gaveUp = 0;
  const queue = [...leftovers.values()];
  const worker = async () => {
    for (let body = queue.shift(); body !== undefined; body = queue.shift()) {
      let ok = false;
      for (let attempt = 0; attempt < 5 && !ok; attempt++) {
        const r = await fetch(`http://127.0.0.1:${PORT}/api/v1/t/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` }, body });
        ok = r.status === 200;
        if (!ok) await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
      }
      if (ok) answered++;
      else gaveUp++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { answered, gaveUp };
}

/**
 * A write key as lib/auth/api-keys.ts makes them (twk_<8>_<43>, stored as its SHA-256). Written here in
 * SQL because that module reaches next-auth, which does not load outside Next and vitest.
 */
async function createWriteKey(adminId: number): Promise<string> {
  const prefix = `twk_${randomBytes(8).toString('hex').slice(0, 8)}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  await getPool().query(`INSERT INTO api_keys (name, prefix, secret_hash, scopes, created_by_id) VALUES ($1, $2, $3, ARRAY['ingest'], $4)`, [
    `bench ${runId}`,
    prefix,
    createHash('sha256').update(key, 'utf8').digest('hex'),
    adminId,
  ]);
  return key;
}

const db = await database();
log(`db=${db.kind}: starting the app server on port ${PORT} (a production build first when the sources changed)…`);
const child = startServer(db.env);
let exitCode = 0;
try {
  await waitForHealth(child, 20 * 60_000);
  process.env.DATABASE_URL = db.url();
  const pool = getPool();
  const admin = await pool.query<{ id: number }>(`SELECT id FROM users WHERE email = $1`, [ADMIN.email]);
  const key = await createWriteKey(admin.rows[0]!.id);
  const segments = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM segments WHERE status = 'ACTIVE'`);
  const profiles = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM profiles`);
  log(`${profiles.rows[0]!.n} profiles, ${segments.rows[0]!.n} active segments re-evaluated in real time; write key ${key.slice(0, 12)}…`);

  log('warming up (5 s, 10 connections; not counted)…');
  const warm = await drive(`warm-${runId}`, key, { duration: 5, connections: 10, rate: 0 });
  await resend(key, warm.leftovers);

  const runsBefore = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM segment_runs WHERE trigger = 'PROFILE_UPDATE'`)).rows[0]!.n;
  log(`driving POST /api/v1/t/batch: ${CONNECTIONS} connections, ${DURATION} s, ${BATCH} track calls per request, ${USERS} users${RATE ? `, at most ${RATE} requests/s` : ''}…`);
  const prefix = `bench-${runId}`;
  phases.clear();
  const load = await drive(prefix, key, { duration: DURATION, connections: CONNECTIONS, rate: RATE });
  const { result } = load;
  const window = load.answered * BATCH;
  const seconds = result.duration;
  const codes = Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => `${code}: ${s.count}`).join(', ');
  log(`timed window: ${result.requests.total} requests (${codes || 'no answers'}), ${result.errors} errors, ${result.timeouts} timeouts, ${load.leftovers.size} cut off or failed`);
  const retried = await resend(key, load.leftovers);
  log(`sent again until answered: ${retried.answered} requests${retried.gaveUp ? `, ${retried.gaveUp} gave up` : ''}`);

  const sent = (load.answered + retried.answered) * BATCH;
  const stored = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE dedupe_key LIKE $1`, [`msg:${prefix}-%`])).rows[0]!.n;
  const runs = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM segment_runs WHERE trigger = 'PROFILE_UPDATE'`)).rows[0]!.n - runsBefore;
  const moved = await pool.query<{ entered: number; left: number }>(
    `SELECT count(*) FILTER (WHERE change = 'ENTERED')::int AS entered, count(*) FILTER (WHERE change = 'LEFT')::int AS left
       FROM segment_membership_changes c JOIN segment_runs r ON r.id = c.run_id WHERE r.trigger = 'PROFILE_UPDATE'`,
  );
  const eventsPerSecond = window / seconds;
  const { p50, p99 } = result.latency;
  log(`events/s ${eventsPerSecond.toFixed(0)} (${window} events answered 200 in ${seconds.toFixed(1)} s); latency p50 ${p50} ms, p99 ${p99} ms, max ${result.latency.max} ms`);
  log(`server time per request: ${phaseSummary()}`);
  log(`real-time re-evaluation: ${runs} passes, ${moved.rows[0]!.entered} segment entries and ${moved.rows[0]!.left} exits`);
  log(`events sent (answered 200) ${sent}, stored ${stored}${sent === stored ? ': nothing lost, nothing twice' : ': MISMATCH'}`);
  if (sent !== stored || retried.gaveUp > 0) exitCode = 1;
  console.log(`db=${db.kind} events_per_s=${eventsPerSecond.toFixed(0)} p50_ms=${p50} p99_ms=${p99} sent=${sent} stored=${stored}`);
} catch (error) {
  console.error('[bench:ingest] failed:', error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await closePool().catch(() => {});
  child.kill('SIGTERM');
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  await db.drop().catch((error) => console.error('[bench:ingest] cleanup failed:', error));
}
process.exit(exitCode);
