import path from 'node:path';

/** Where the embedded PGlite database lives when DATABASE_URL is unset (git-ignored). */
export function embeddedDataDir(): string {
  return path.resolve(process.env.PGLITE_DIR ?? '.data/pglite');
}

/** File through which the process that owns the embedded database tells others where to connect. */
export function embeddedServerFile(dataDir = embeddedDataDir()): string {
  return `${dataDir}.server.json`;
}
