import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { embeddedDataDir, embeddedServerFile } from './config';
import { servePGlite } from './pglite-server';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

interface ServerInfo {
  pid: number;
  port: number;
}

/**
 * Opens the embedded PGlite database and serves it over the Postgres wire protocol on 127.0.0.1,
 * so that the app, scripts and psql all speak plain `pg` to it. PGlite is a single backend:
 * exactly one process may open the data directory, the others connect through its socket.
 * `dataDir` 'memory://' gives a throwaway in-memory database (tests).
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir ?? embeddedDataDir();
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) {
    const running = findRunningEmbeddedServer();
    if (running) throw new Error(`The embedded database is already open in process ${running.pid} (port ${running.port}).`);
    mkdirSync(path.dirname(dataDir), { recursive: true });
  }
  const db = await PGlite.create(inMemory ? undefined : dataDir);
  const server = await servePGlite(db, { host: '127.0.0.1', port: options.port ?? 0, maxConnections: 64 });
  const port = server.port;
  const serverFile = inMemory ? null : embeddedServerFile();
  if (serverFile) writeFileSync(serverFile, JSON.stringify({ pid: process.pid, port } satisfies ServerInfo));
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
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
export function findRunningEmbeddedServer(): ServerInfo | null {
  const file = embeddedServerFile();
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as ServerInfo;
    process.kill(info.pid, 0); // throws when the process is gone
    return info;
  } catch {
    return null; // stale file from a process that died
  }
}

export async function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
