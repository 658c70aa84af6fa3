import { csvRecord, UTF8_BOM, type CellKind } from './write';

/**
 * A CSV file as a web ReadableStream: the header record, then one record per row, pulled from
 * `batches` only when the consumer wants more (backpressure), so memory stays at one batch.
 * An error from `batches` errors the stream: the download fails visibly instead of ending short.
 */
export function csvStream(options: {
  header: readonly string[];
  kinds?: readonly CellKind[];
  batches: AsyncIterable<readonly (readonly (string | null)[])[]>;
  /** Start with a UTF-8 byte-order mark (for Excel). */
  bom?: boolean;
}): ReadableStream<Uint8Array> {
  const { batches, kinds } = options;
  // Rendered one batch at a time as the text stream pulls; its cancel ends this generator, and so `batches`.
  async function* rendered(): AsyncGenerator<string> {
    for await (const batch of batches) yield batch.map((row) => csvRecord(row, kinds)).join('');
  }
  return csvTextStream({ header: options.header, chunks: rendered(), bom: options.bom });
}

/**
 * A CSV file whose records arrive already rendered (text from sql.ts, bytes from copy-rewrite.ts): the header
 * record, then each chunk of records as it comes, pulled on demand like csvStream.
 */
export function csvTextStream(options: { header: readonly string[]; chunks: AsyncIterable<string | Uint8Array>; bom?: boolean }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = options.chunks[Symbol.asyncIterator]();
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode((options.bom ? UTF8_BOM : '') + csvRecord(options.header)));
          return;
        }
        try {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    // Pulled only when read: an unread response never starts the work (a COPY would hold a connection).
    { highWaterMark: 0 },
  );
}

/** Reads a whole stream as text (tests, small files). */
export async function readStreamText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}
