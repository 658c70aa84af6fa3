import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A new, empty database on a PostgreSQL server, for one test file or one benchmark run, and the
 * way to drop it again. `name` defaults to the prefix and a random suffix.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string, name = `${prefix}_${randomBytes(6).toString('hex')}`): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  // Only identifiers we make ourselves are spliced (CREATE DATABASE takes no parameters).
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a scratch database name: ${name}`);
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
