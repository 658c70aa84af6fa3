import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Every database test runs on the embedded PGlite; with TEST_DATABASE_URL set (CI), once more
// on that PostgreSQL server.
const databases = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgresql'] : [])];

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    projects: databases.map((db) => ({
      extends: true,
      test: {
        name: db,
        // Files named *.db.test.ts talk to a database; the rest are pure and run once.
        include: db === 'pglite' ? ['{lib,app,scripts,components}/**/*.test.ts'] : ['{lib,app,scripts}/**/*.db.test.ts'],
        env: { TAGWISE_TEST_DB: db },
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
