// Writes a new Prisma migration by diffing the previous schema against prisma/schema.prisma,
// using Prisma's schema engine compiled to wasm (the native engine cannot be downloaded here).
//   npm run db:diff -- <name> [--from <git-rev>]      (default: the schema at HEAD; empty when no migrations yet)
// Run under `node --experimental-wasm-modules` (the npm script does).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { SchemaEngine } from '@prisma/schema-engine-wasm';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--'));
const fromIdx = args.indexOf('--from');
const fromRev = fromIdx >= 0 ? args[fromIdx + 1] : 'HEAD';
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:diff -- <snake_case_name> [--from <git-rev>]');
  process.exit(2);
}

const schemaPath = 'prisma/schema.prisma';
const migrationsDir = 'prisma/migrations';
const hasMigrations = existsSync(migrationsDir) && readdirSync(migrationsDir).some((d) => /^\d{14}_/.test(d));
const current = readFileSync(schemaPath, 'utf8');
const previous = hasMigrations ? execFileSync('git', ['show', `${fromRev}:${schemaPath}`], { encoding: 'utf8' }) : null;

// The engine connects to its adapter even for schema-to-schema diffs: give it a throwaway
// in-memory Postgres, so a diff needs no server.
const scratch = await PGlite.create();
const server = new PGLiteSocketServer({ db: scratch, port: 0, host: '127.0.0.1', maxConnections: 4 });
await server.start();
const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: `postgresql://postgres@${server.getServerConn()}/postgres` }));
const engine = await SchemaEngine.new({ datamodels: [[schemaPath, current]] }, () => {}, adapter);
const from = previous ? { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: previous }] } : { tag: 'empty' };
const to = { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: current }] };
const filters = { externalTables: [], externalEnums: [] };
const { stdout } = await engine.diff({ from, to, script: true, exitCode: null, filters });
await server.stop();
await scratch.close();
if (!stdout || !stdout.trim() || stdout.includes('This is an empty migration')) {
  console.log('No schema changes.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = `${migrationsDir}/${stamp}_${name}`;
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}/migration.sql`, stdout);
writeFileSync(`${migrationsDir}/migration_lock.toml`, 'provider = "postgresql"\n');
console.log(`Wrote ${dir}/migration.sql`);
