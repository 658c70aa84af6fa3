import { createScratchDatabase } from '../db/scratch';
import { afterAll, beforeAll } from 'vitest';
import { startEmbeddedPostgres } from '../db/embedded';
import { applyMigrations } from '../db/migrate';
import { closePool, withTransaction } from '../db/pool';

export interface TestDatabase {
  url: string;
  kind: 'pglite' | 'postgresql';
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or (in the vitest project
 * "postgresql", run when TEST_DATABASE_URL is set) a new database on that server, dropped afterwards.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (process.env.TAGWISE_TEST_DB === 'postgresql') {
    const serverUrl = process.env.TEST_DATABASE_URL;
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is required for the postgresql test project');
    const scratch = await createScratchDatabase(serverUrl, 'tagwise_test');
    await applyMigrations(scratch.url);
    return { url: scratch.url, kind: 'postgresql', close: scratch.drop };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  await applyMigrations(embedded.url);
  return { url: embedded.url, kind: 'pglite', close: () => embedded.stop() };
}

/** Points this test file's DATABASE_URL (and so lib/db) at a fresh database. */
export function useTestDatabase(): { readonly current: TestDatabase } {
  const holder: { current: TestDatabase | null } = { current: null };
  beforeAll(async () => {
    holder.current = await openTestDatabase();
    process.env.DATABASE_URL = holder.current.url;
    process.env.TAGWISE_DB_KIND = holder.current.kind;
  }, 60_000);
  afterAll(async () => {
    await closePool();
    await holder.current?.close();
  });
  return {
    get current() {
      if (!holder.current) throw new Error('test database not open yet');
      return holder.current;
    },
  };
}

/**
 * Empties tables between tests. The audit log refuses DELETE and TRUNCATE (append-only trigger);
 * tests, and only tests, lift that for one transaction with tagwise.test_reset.
 */
export async function resetTables(sql: string): Promise<void> {
  await withTransaction(async (client) => {
    await client.query(`SET LOCAL tagwise.test_reset = 'on'`);
    await client.query(sql);
  });
}
