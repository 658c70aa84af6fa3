import { findRunningEmbeddedServer, startEmbeddedPostgres } from './embedded';
import { closePool } from './pool';

/**
 * Gives a command-line script a database URL: DATABASE_URL; else the embedded database of a
 * running `npm start` (through its socket, since only one process may open PGlite); else the
 * embedded database opened by this process for the duration of the script.
 */
export async function withCliDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) {
    process.env.TAGWISE_DB_KIND ??= 'postgresql';
    try {
      return await fn(process.env.DATABASE_URL);
    } finally {
      await closePool();
    }
  }
  const running = findRunningEmbeddedServer();
  const embedded = running ? null : await startEmbeddedPostgres();
  const url = running ? running.url : embedded!.url;
  process.env.DATABASE_URL = url;
  process.env.TAGWISE_DB_KIND = 'pglite';
  try {
    return await fn(url);
  } finally {
    await closePool();
    await embedded?.stop();
  }
}
