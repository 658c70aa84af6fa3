import pg from 'pg';

// numeric and bigint come back as strings by default; counts and ids here fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

const globalForPool = globalThis as unknown as { tagwisePool?: pg.Pool; tagwisePoolUrl?: string };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the app with `npm start`, which provides the embedded database.');
  return url;
}

/** The one connection pool of this process; Prisma and raw SQL share it. */
export function getPool(): pg.Pool {
  const url = databaseUrl();
  if (!globalForPool.tagwisePool || globalForPool.tagwisePoolUrl !== url) {
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 8) });
    // An idle connection the server closes (restart, failover, a dropped test database) must not
    // crash the process: the pool drops it and opens a new one when needed.
    pool.on('error', (error) => console.error(`idle database connection closed: ${error.message}`));
    globalForPool.tagwisePool = pool;
    globalForPool.tagwisePoolUrl = url;
  }
  return globalForPool.tagwisePool;
}

export async function closePool(): Promise<void> {
  const pool = globalForPool.tagwisePool;
  globalForPool.tagwisePool = undefined;
  globalForPool.tagwisePoolUrl = undefined;
  await pool?.end();
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

/** Runs `fn` in one transaction on one connection. Never touch another connection inside it: on PGlite that deadlocks. */
export async function withTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
