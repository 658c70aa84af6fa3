/**
 * `npm start`: everything a fresh clone needs, in one process that owns the embedded database.
 *  1. database: DATABASE_URL, or the embedded PGlite under .data/ served on 127.0.0.1
 *  2. migrations, the first admin, and (on an empty database) the demo data
 *  3. a production build when there is none or the sources are newer, then `next start`
 * `npm run dev` does the same with `next dev`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { embeddedDataDir } from '../lib/db/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../lib/db/embedded';
import { applyMigrations } from '../lib/db/migrate';
import { closePool } from '../lib/db/pool';
import { loadOrCreateLocalSecrets } from '../lib/db/secrets';
import { generatePassword } from '../lib/auth/password';
import { ensureFirstAdmin } from '../lib/auth/users';
import { cronSecretProblem } from '../lib/segments/cron-auth';
import { loadDemoIfEmpty } from '../lib/demo/load';
import { failInterruptedRuns } from '../lib/segments/evaluate';

const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const log = (line: string) => console.log(`[tagwise] ${line}`);

async function main() {
  const secrets = loadOrCreateLocalSecrets();
  process.env.NEXT_TELEMETRY_DISABLED ??= '1'; // the network is closed on many installs; never phone home
  process.env.NEXTAUTH_SECRET ??= secrets.nextAuthSecret;
  process.env.NEXTAUTH_URL ??= `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  if (!process.env.CRON_SECRET) {
    // The quick start's own secret, generated once; anyone who sets CRON_SECRET must set a usable one.
    process.env.CRON_SECRET = secrets.cronSecret;
    log(`CRON_SECRET is not set; using the generated one from .data/secrets.json: ${secrets.cronSecret}`);
  } else {
    const problem = cronSecretProblem(process.env.CRON_SECRET);
    if (problem) throw new Error(problem);
  }

  let embedded: EmbeddedPostgres | null = null;
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres();
    process.env.DATABASE_URL = embedded.url;
    process.env.TAGWISE_DB_KIND = 'pglite';
    log(`embedded PostgreSQL (PGlite) in ${path.relative(process.cwd(), embeddedDataDir())}, serving ${embedded.url.replace(/\?.*/, '')}`);
  } else {
    process.env.TAGWISE_DB_KIND = 'postgresql';
    log('using the PostgreSQL server in DATABASE_URL');
  }
  const stop = async () => {
    await closePool().catch(() => {});
    await embedded?.stop().catch(() => {});
  };

  for (const name of await applyMigrations(process.env.DATABASE_URL, { log })) log(`applied ${name}`);
  const admin = await ensureFirstAdmin({ email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD }, generatePassword);
  // Shown again when the server is up, so it is not lost above the build output.
  const adminNotice = admin?.generated
    ? [
        `first admin: ${admin.email}`,
        `password (generated, shown only on this first start; you choose your own at first sign-in): ${admin.password}`,
        'lost it? npm run admin:reset-password -- <email>',
      ]
    : admin
      ? [`first admin created from ADMIN_EMAIL: ${admin.email}`]
      : [];
  adminNotice.forEach((line) => log(line));
  if (embedded) {
    // This process owns the embedded database, so a run still marked RUNNING died with an earlier process.
    const interrupted = await failInterruptedRuns();
    if (interrupted) log(`marked ${interrupted} interrupted evaluation run(s) as failed`);
  }
  if (process.env.TAGWISE_SKIP_DEMO !== '1') await loadDemoIfEmpty({ log });
  await closePool();

  if (!dev && needsBuild()) {
    log('building the app (first start or changed sources)…');
    const build = spawnSync(process.execPath, [nextBin(), 'build'], { stdio: 'inherit', env: process.env });
    if (build.status !== 0) {
      await stop();
      process.exit(build.status ?? 1);
    }
  }

  const child = spawn(process.execPath, [nextBin(), dev ? 'dev' : 'start', '-p', String(port), '-H', host], { stdio: 'inherit', env: process.env });
  log(`Tagwise on http://${host}:${port}`);
  if (adminNotice.length) {
    log('──────────────────────────────────────────────────────────');
    adminNotice.forEach((line) => log(line));
    log('──────────────────────────────────────────────────────────');
  }
  const shutdown = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  child.on('exit', async (code) => {
    await stop();
    process.exit(code ?? 0);
  });
}

function nextBin(): string {
  return path.resolve('node_modules/next/dist/bin/next');
}

/** A build is needed when there is none, or any source file is newer than it. */
function needsBuild(): boolean {
  const buildId = path.resolve('.next/BUILD_ID');
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const newer = (p: string): boolean => {
    if (!existsSync(p)) return false;
    const s = statSync(p);
    if (!s.isDirectory()) return s.mtimeMs > builtAt;
    return readdirSync(p).some((name) => name !== 'generated' && newer(path.join(p, name)));
  };
  return ['app', 'components', 'lib', 'public', 'next.config.mjs', 'tailwind.config.ts', 'package-lock.json', 'instrumentation.ts'].some(newer);
}

main().catch((error) => {
  console.error('[tagwise] failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
