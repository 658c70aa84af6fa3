/**
 * `npm run bench:ingest -- [--duration 60] [--rate 2500] [--saturation 20] [--connections 100] [--batch 20] [--users 20000] [--port 3801]`
 *
 * Ingest under load, end to end: starts the real app server (scripts/start.ts: a production build,
 * `next start`, the demo data and its segments, all re-evaluated in real time), on a fresh embedded
 * PGlite, or on a scratch database of the PostgreSQL server in DATABASE_URL (created and dropped),
 * creates a write key and drives POST /api/v1/t/batch, each request a batch of `--batch` track calls
 * with unique messageIds over a pool of `--users` users (views, carts, orders, cancellations):
 *
 *  1. sustained: `--rate` events/s for `--duration` seconds over `--connections` keep-alive
 *     connections, requests evenly spaced (open loop). Latency counts from when a request was due, so
 *     time spent waiting for a free connection counts too (no coordinated omission). Meanwhile a probe
 *     gives a new user two orders every 200 ms and times how long after the 200 the user is tagged
 *     "Repeat customers": the real-time lag.
 *  2. saturation: autocannon with `--connections` connections that each send the next request as soon
 *     as the last is answered, for `--saturation` seconds: the most the server takes (closed loop, so
 *     latency there is connections / throughput, the queue in front of the server).
 *
 * Only 200 answers count as sent. Requests cut off when the time was up, or that failed, are sent
 * again until answered, as an SDK retries; being idempotent, the server stores none of them twice.
 * Then sent and stored events must be equal. Ends with one line of key=value figures.
 */
import { createScratchDatabase } from '../lib/db/scratch';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
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
const RATE = arg('rate', 2_500);
const SATURATION = arg('saturation', 20);
const CONNECTIONS = arg('connections', 100);
const BATCH = Math.max(1, arg('batch', 20));
const USERS = arg('users', 20_000);
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

/** Server-Timing phases of the 200 answers: read (auth, body, validation), store (the transaction, queueing the tags). */
const phases = new Map<string, number[]>();
function recordTiming(header: string | string[] | undefined): void {
  for (const part of String(header ?? '').split(',')) {
    const m = /^\s*(\w+);dur=([\d.]+)/.exec(part);
    if (!m) continue;
    if (!phases.has(m[1]!)) phases.set(m[1]!, []);
    phases.get(m[1]!)!.push(Number(m[2]));
  }
}
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
const spread = (values: number[]) => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99), max: percentile(values, 1) });
function phaseSummary(): string {
  return [...phases].map(([name, values]) => `${name} p50 ${percentile(values, 0.5).toFixed(0)} ms / p99 ${percentile(values, 0.99).toFixed(0)} ms`).join('; ');
}

const authorization = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

interface Sustained {
  latencies: number[];
  /** Per answered request: seconds into the phase when it was due, and its latency. */
  timeline: [number, number][];
  answered: number;
  leftovers: Map<number, string>;
  seconds: number;
}

/**
 * Open loop: request n is due at start + n / rate and is sent then, on a free connection of the agent
 * (or as soon as one is free). Its latency is from when it was due to its answer.
 */
async function sustain(prefix: string, key: string, options: { duration: number; connections: number; requestsPerSecond: number }): Promise<Sustained> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const timeline: [number, number][] = [];
  const leftovers = new Map<number, string>();
  const pending = new Set<Promise<void>>();
  let answered = 0;
  const interval = 1000 / options.requestsPerSecond;
  const start = performance.now();
  const end = start + options.duration * 1000;
  for (let n = 0; ; n++) {
    const due = start + n * interval;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = batchBody(prefix, n);
    const sent = post(agent, key, body).then(
      ({ status, timing }) => {
        if (status === 200) {
          answered++;
          latencies.push(performance.now() - due);
          timeline.push([(due - start) / 1000, performance.now() - due]);
          recordTiming(timing);
        } else leftovers.set(n, body);
      },
      () => void leftovers.set(n, body),
    );
    pending.add(sent);
    void sent.finally(() => pending.delete(sent));
  }
  await Promise.all(pending);
  agent.destroy();
  return { latencies, timeline, answered, leftovers, seconds: (performance.now() - start) / 1000 };
}

function post(agent: http.Agent, key: string, body: string): Promise<{ status: number; timing: string | string[] | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: PORT, path: '/api/v1/t/batch', method: 'POST', agent, timeout: 30_000, headers: { 'content-type': 'application/json', authorization: authorization(key), 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, timing: response.headers['server-timing'] }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * The real-time lag, as a customer sees it: every 200 ms a new user places two orders (one request),
 * then the segment's tags are polled until the user is a member of "Repeat customers".
 */
async function probeTagLag(key: string, segmentId: number, until: () => boolean): Promise<{ lags: number[]; missing: number }> {
  const lags: number[] = [];
  let missing = 0;
  const probes: Promise<void>[] = [];
  for (let k = 0; until(); k++) {
    const userId = `probe-${runId}-${k}`;
    probes.push(
      (async () => {
        const now = new Date().toISOString();
        const batch = [1, 2].map((i) => ({ type: 'track', messageId: `probe-${runId}-${k}-${i}`, userId, timestamp: now, event: 'Order Completed', properties: { orderId: `P-${runId}-${k}-${i}`, revenue: 10 } }));
        const r = await fetch(`http://127.0.0.1:${PORT}/api/v1/t/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: authorization(key) }, body: JSON.stringify({ batch, sentAt: now }) });
        if (r.status !== 200) return void missing++;
        const answeredAt = performance.now();
        for (let waited = 0; waited < 30_000; waited = performance.now() - answeredAt) {
          const tagged = await getPool().query(`SELECT 1 FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 AND p.external_id = $2`, [segmentId, userId]);
          if (tagged.rowCount) return void lags.push(performance.now() - answeredAt);
          // Every 10 ms at first, then at a tenth of the time waited: a lagging server is not flooded
          // with polls, which would slow it further (the figure is then good to about 10 %).
          await new Promise((resolve) => setTimeout(resolve, Math.max(10, waited / 10)));
        }
        missing++;
      })(),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await Promise.all(probes);
  return { lags, missing };
}

interface Load {
  result: autocannon.Result;
  answered: number;
  leftovers: Map<number, string>;
}

/** Closed loop: each connection sends its next request as soon as its last is answered. */
function saturate(prefix: string, key: string, options: { duration: number; connections: number }): Promise<Load> {
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
        headers: { 'content-type': 'application/json', authorization: authorization(key) },
        requests: [
          {
            setupRequest: (request, context) => {
              const n = next++;
              const body = batchBody(prefix, n);
              context.n = n;
              inflight.set(n, body);
              return { ...request, body };
            },
            onResponse: (status, _body, context) => {
              const n = context.n as number;
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
        const r = await fetch(`http://127.0.0.1:${PORT}/api/v1/t/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: authorization(key) }, body });
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

/** The machine's CPU time so far (Linux /proc/stat, in clock ticks): busy, and stolen by the hypervisor. */
function cpuTicks(): { busy: number; steal: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
  } catch {
    return null; // not Linux
  }
}
function cpuSummary(before: ReturnType<typeof cpuTicks>, after: ReturnType<typeof cpuTicks>): string {
  if (!before || !after || after.total === before.total) return 'n/a';
  const share = (a: number, b: number) => `${(((a - b) / (after.total - before.total)) * 100).toFixed(0)} %`;
  return `busy ${share(after.busy, before.busy)}, stolen by the hypervisor ${share(after.steal, before.steal)}`;
}

/** What the database's sessions were doing, sampled every 100 ms: "active" or the wait event, by statement start. */
function sampleSessions(until: () => boolean): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  return (async () => {
    while (until()) {
      const r = await getPool().query<{ what: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') || ' | ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 50) AS what
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`,
      );
      for (const row of r.rows) seen.set(row.what, (seen.get(row.what) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return seen;
  })();
}

/** p50/p99/max of the answers due in each 10 s of the phase: whether the latency holds or drifts. */
function timelineSummary(timeline: [number, number][]): string {
  const windows = new Map<number, number[]>();
  for (const [at, latency] of timeline) {
    const w = Math.floor(at / 10) * 10;
    if (!windows.has(w)) windows.set(w, []);
    windows.get(w)!.push(latency);
  }
  return [...windows].sort((a, b) => a[0] - b[0]).map(([w, values]) => {
    const { p50, p99, max } = spread(values);
    return `${w}-${w + 10} s: ${ms(p50)}/${ms(p99)}/${ms(max)}`;
  }).join('; ');
}

const countStored = async (prefix: string) =>
  (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE dedupe_key LIKE $1`, [`msg:${prefix}-%`])).rows[0]!.n;
const ms = (value: number) => (Number.isFinite(value) ? Math.round(value) : 'n/a');

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
  const repeat = await pool.query<{ id: number }>(`SELECT id FROM segments WHERE name = 'Repeat customers' AND status = 'ACTIVE'`);
  if (!repeat.rows[0]) throw new Error('the demo segment "Repeat customers" is missing');
  log(`${profiles.rows[0]!.n} profiles, ${segments.rows[0]!.n} active segments re-evaluated in real time; write key ${key.slice(0, 12)}…`);

  // What the build and the demo import wrote goes to disk now, not during the measured run, where its
  // writeback would compete with the database's WAL flushes.
  spawnSync('sync');
  log('warming up (5 s, 10 connections; not counted)…');
  const warm = await saturate(`warm-${runId}`, key, { duration: 5, connections: 10 });
  await resend(key, warm.leftovers);
  const runsBefore = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM segment_runs WHERE trigger = 'PROFILE_UPDATE'`)).rows[0]!.n;

  const figures: Record<string, string | number> = { db: db.kind };
  let sent = 0, stored = 0, gaveUp = 0;
  if (RATE > 0 && DURATION > 0) {
    const requestsPerSecond = RATE / BATCH;
    log(`sustained: ${RATE} events/s (${requestsPerSecond.toFixed(1)} requests/s of ${BATCH} track calls, evenly spaced) over ${CONNECTIONS} connections for ${DURATION} s, ${USERS} users…`);
    phases.clear();
    const prefix = `bench-${runId}`;
    let loadRunning = true;
    const probe = probeTagLag(key, repeat.rows[0].id, () => loadRunning);
    const sessions = sampleSessions(() => loadRunning);
    const cpuBefore = cpuTicks();
    const load = await sustain(prefix, key, { duration: DURATION, connections: CONNECTIONS, requestsPerSecond });
    loadRunning = false;
    const cpu = cpuSummary(cpuBefore, cpuTicks());
    const lag = await probe;
    const retried = await resend(key, load.leftovers);
    const eventsPerSecond = (load.answered * BATCH) / load.seconds;
    const { p50, p99, max } = spread(load.latencies);
    log(`  ${load.answered} requests answered 200 in ${load.seconds.toFixed(1)} s: ${eventsPerSecond.toFixed(0)} events/s; ${load.leftovers.size} failed or cut off, sent again: ${retried.answered}${retried.gaveUp ? `, ${retried.gaveUp} gave up` : ''}`);
    log(`  latency from when each request was due: p50 ${ms(p50)} ms, p99 ${ms(p99)} ms, max ${ms(max)} ms`);
    log(`  server time per request: ${phaseSummary()}`);
    log(`  p50/p99/max ms by when due: ${timelineSummary(load.timeline)}`);
    log(`  the machine's CPUs meanwhile: ${cpu}`);
    const waits = [...(await sessions)].sort((a, b) => b[1] - a[1]).slice(0, 8);
    if (waits.length === 0) log('  database sessions: not visible (PGlite has one backend, which is ours while we look)');
    else log(`  database sessions, sampled every 100 ms (count | state | statement):`);
    for (const [what, n] of waits) log(`    ${String(n).padStart(5)} | ${what}`);
    const { p50: lag50, p99: lag99, max: lagMax } = spread(lag.lags);
    log(`  tagged "Repeat customers" after the 200 (${lag.lags.length} probes${lag.missing ? `, ${lag.missing} never` : ''}): p50 ${ms(lag50)} ms, p99 ${ms(lag99)} ms, max ${ms(lagMax)} ms`);
    const phaseSent = (load.answered + retried.answered) * BATCH;
    const phaseStored = await countStored(prefix);
    sent += phaseSent;
    stored += phaseStored;
    gaveUp += retried.gaveUp + lag.missing;
    Object.assign(figures, { events_per_s: eventsPerSecond.toFixed(0), p50_ms: ms(p50), p99_ms: ms(p99), tag_lag_p50_ms: ms(lag50), tag_lag_p99_ms: ms(lag99) });
  }
  if (SATURATION > 0) {
    log(`saturation: ${CONNECTIONS} connections sending as fast as answered (autocannon) for ${SATURATION} s…`);
    const prefix = `sat-${runId}`;
    const load = await saturate(prefix, key, { duration: SATURATION, connections: CONNECTIONS });
    const { result } = load;
    const retried = await resend(key, load.leftovers);
    const eventsPerSecond = (load.answered * BATCH) / result.duration;
    log(`  ${result.requests.total} requests, ${result.errors} errors, ${result.timeouts} timeouts; sent again: ${retried.answered}${retried.gaveUp ? `, ${retried.gaveUp} gave up` : ''}`);
    log(`  ${eventsPerSecond.toFixed(0)} events/s; latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (≈ ${CONNECTIONS} connections / requests per second)`);
    sent += (load.answered + retried.answered) * BATCH;
    stored += await countStored(prefix);
    gaveUp += retried.gaveUp;
    Object.assign(figures, { max_events_per_s: eventsPerSecond.toFixed(0), saturated_p99_ms: result.latency.p99 });
  }

  const runs = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM segment_runs WHERE trigger = 'PROFILE_UPDATE'`)).rows[0]!.n - runsBefore;
  const queued = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM profile_evaluation_queue`);
  log(`real-time re-evaluation: ${runs} passes; ${queued.rows[0]!.n} changes still queued at the end`);
  log(`events sent (answered 200) ${sent}, stored ${stored}${sent === stored ? ': nothing lost, nothing twice' : ': MISMATCH'}`);
  if (sent !== stored || gaveUp > 0) exitCode = 1;
  Object.assign(figures, { sent, stored });
  const order = ['db', 'events_per_s', 'p50_ms', 'p99_ms', 'sent', 'stored'];
  const keys = [...order.filter((k) => k in figures), ...Object.keys(figures).filter((k) => !order.includes(k))];
  console.log(keys.map((k) => `${k}=${figures[k]}`).join(' '));
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
