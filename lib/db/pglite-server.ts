import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

/**
 * Serves one PGlite database to many Postgres wire-protocol connections.
 *
 * PGlite is a single backend with a single unnamed prepared statement and portal, so the messages
 * of one connection's extended-protocol exchange (Parse, Bind, Describe, Execute ... Sync) must run
 * together, and an open transaction must own the backend until it ends. pglite-socket's own queue
 * only keeps transactions together: a transaction started between another connection's Parse and
 * Bind replaced that connection's statement, and its Bind then ran the wrong one (wrong rows, or
 * "bind message supplies 3 parameters, but prepared statement requires 1"). This queue hands the
 * backend to one connection until it reaches a Sync or a simple Query outside a transaction.
 */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

export class ConnectionGroupQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  /** The connection the backend belongs to until its exchange or transaction ends. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('connection closed'));
      return false;
    });
  }

  /** A connection that goes away mid-exchange or mid-transaction releases the backend. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => {});
    this.owner = null;
    void this.process();
  }

  private next(): QueuedMessage | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item!.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item!.onData(data);
              },
            }),
          );
        } catch (error) {
          this.owner = this.db.isInTransaction() ? item.handlerId : null;
          item.reject(error);
          continue;
        }
        const type = item.message[0];
        // A startup message has no type byte (it begins with its length, so 0x00).
        const exchangeEnded = type === SYNC || type === QUERY || type === TERMINATE || type === 0;
        this.owner = exchangeEnded && !this.db.isInTransaction() ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}

export interface PGliteServer {
  port: number;
  stop(): Promise<void>;
}

/** Listens on a Unix socket `path`, or on `host`:`port` (port 0: any free one). */
export async function servePGlite(db: PGlite, options: { path?: string; host?: string; port?: number; maxConnections?: number } = {}): Promise<PGliteServer> {
  await db.waitReady;
  const queue = new ConnectionGroupQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    if (handlers.size >= (options.maxConnections ?? 64)) {
      socket.end();
      return;
    }
    // The handler parses the wire protocol; it only needs a queue with this queue's methods.
    const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (options.path) server.listen(options.path, () => resolve());
    else server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    async stop() {
      for (const handler of handlers) await handler.detach(true);
      handlers.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
