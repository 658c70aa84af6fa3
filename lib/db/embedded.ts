import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { embeddedDataDir, embeddedServerFile } from './config';
import { servePGlite } from './pglite-server';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

interface ServerInfo {
  pid: number;
  url: string;
}

// Unix socket paths are limited to about 107 bytes; an unusually long temp dir falls back to TCP.
const MAX_SOCKET_PATH = 100;

/**
 * Opens the embedded PGlite database and serves it over the Postgres wire protocol, so that the
 * app, scripts and psql all speak plain `pg` to it. PGlite is a single backend: exactly one process
 * may open the data directory, the others connect through its socket.
 *
 * PGlite lets anyone who connects in as superuser, so an on-disk database is served on a Unix
 * socket in a directory only this user can enter (in the system temp dir), not on a TCP port that every
 * local user could reach. `dataDir` 'memory://' gives a throwaway in-memory database on 127.0.0.1 (tests).
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir ?? embeddedDataDir();
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) {
    const running = findRunningEmbeddedServer(dataDir);
    if (running) throw new Error(`The embedded database is already open in process ${running.pid} (${running.url}).`);
    mkdirSync(path.dirname(dataDir), { recursive: true });
  }
  const db = await PGlite.create(inMemory ? undefined : dataDir);
  if (!inMemory) chmodSync(dataDir, 0o700); // the raw database files are no one else's business either
  // Outside the project: a socket inside it sets off the dev server's file watcher on every query.
  const socketDir = path.join(os.tmpdir(), `tagwise-${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12)}`);
  const socketPath = path.join(socketDir, '.s.PGSQL.5432'); // the name libpq and pg look for
  const useSocket = !inMemory && options.port === undefined && socketPath.length <= MAX_SOCKET_PATH;
  if (useSocket) {
    mkdirSync(socketDir, { recursive: true, mode: 0o700 });
    chmodSync(socketDir, 0o700);
    rmSync(socketPath, { force: true }); // left behind by a process that died
  }
  const server = await servePGlite(db, useSocket ? { path: socketPath, maxConnections: 64 } : { host: '127.0.0.1', port: options.port ?? 0, maxConnections: 64 });
  const url = useSocket
    ? `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`
    : `postgresql://postgres@127.0.0.1:${server.port}/postgres?sslmode=disable`;
  const serverFile = inMemory ? null : embeddedServerFile(dataDir);
  if (serverFile) writeFileSync(serverFile, JSON.stringify({ pid: process.pid, url } satisfies ServerInfo), { mode: 0o600 });
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      if (serverFile && existsSync(serverFile)) rmSync(serverFile, { force: true });
    },
  };
}

/** The embedded server another live process owns, if any. */
export function findRunningEmbeddedServer(dataDir = embeddedDataDir()): ServerInfo | null {
  const file = embeddedServerFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as ServerInfo;
    process.kill(info.pid, 0); // throws when the process is gone
    return info;
  } catch {
    return null; // stale file from a process that died
  }
}
