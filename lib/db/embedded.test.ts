import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';

describe('the embedded database served to many connections', () => {
  let embedded: EmbeddedPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
    pool = new pg.Pool({ connectionString: embedded.url, max: 12 });
  });
  afterAll(async () => {
    await pool.end();
    await embedded.stop();
  });

  it('keeps each connection`s parameterised queries intact while another runs transactions', async () => {
    // Before the connection-group queue, a transaction begun between another connection's Parse and
    // Bind replaced its unnamed statement: wrong rows, or "bind message supplies 3 parameters".
    let wrong = 0;
    const failures: string[] = [];
    const transactions = (async () => {
      const client = await pool.connect();
      try {
        for (let k = 0; k < 60; k++) {
          await client.query('BEGIN');
          for (let j = 0; j < 4; j++) expect((await client.query('SELECT $1::int AS one', [j])).rows[0].one).toBe(j);
          await client.query('COMMIT');
        }
      } finally {
        client.release();
      }
    })();
    const queries = Array.from({ length: 10 }, async (_, w) => {
      for (let i = 0; i < 80; i++) {
        try {
          if ((i + w) % 2) {
            const r = await pool.query('SELECT $1::int + $2::int AS s', [i, w]);
            if (r.rows[0]?.s !== i + w) wrong++;
          } else {
            const r = await pool.query('SELECT $1::text AS t, $2::text AS u, $3::text AS v', [`a${i}`, 'b', 'c']);
            if (r.rows[0]?.t !== `a${i}` || r.rows[0]?.v !== 'c') wrong++;
          }
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    });
    await Promise.all([transactions, ...queries]);
    expect(failures).toEqual([]);
    expect(wrong).toBe(0);
  }, 60_000);

  it('an error inside one connection`s transaction does not leak into others', async () => {
    const a = await pool.connect();
    try {
      await a.query('BEGIN');
      await expect(a.query('SELECT 1/0')).rejects.toThrow(/division by zero/);
      const other = pool.query('SELECT 42 AS n'); // waits until a's transaction ends
      await a.query('ROLLBACK');
      expect((await other).rows[0].n).toBe(42);
    } finally {
      a.release();
    }
  });

  it('a connection that disconnects inside a transaction releases the database', async () => {
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('CREATE TABLE abandoned (x int)');
    await client.end();
    const r = await pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'abandoned'`);
    expect(r.rows[0].n).toBe(0); // rolled back
  });
});

describe('an embedded database on disk', () => {
  it('is served on a Unix socket only its owner can reach, and is opened by one process at a time', async () => {
    const { mkdtempSync, statSync, existsSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tagwise-')), 'pglite');
    const embedded = await startEmbeddedPostgres({ dataDir });
    try {
      const socketDir = decodeURIComponent(/host=([^&]+)/.exec(embedded.url)![1]!);
      expect(socketDir.startsWith(os.tmpdir())).toBe(true);
      expect(statSync(socketDir).mode & 0o777).toBe(0o700);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await client.end();
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/already open in process/);
    } finally {
      await embedded.stop();
    }
    expect(existsSync(`${dataDir}.server.json`)).toBe(false);
  });
});
