import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { detectFormat, ImportError, readLine, type SourceFormat, type StagedLine } from './format';

export interface FileInfo {
  path: string;
  bytes: number;
  gzipped: boolean;
}

/** Refuses a missing path, a directory or an unreadable file with a message the person can act on. */
export function inspectFile(path: string): FileInfo {
  let bytes: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ImportError(`${path} is not a file.`);
    bytes = stat.size;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`File not found: ${path}`);
  }
  const magic = Buffer.alloc(2);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, magic, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  return { path, bytes, gzipped: magic[0] === 0x1f && magic[1] === 0x8b };
}

export interface ReadProgress {
  rows: number;
  /** 0..1, from the compressed bytes consumed so far. */
  fraction: number;
}

/**
 * Streams the CSV (gzipped or plain) and yields its data rows in batches, checked and normalised.
 * Memory stays at one batch whatever the file size; the caller's awaits give back-pressure.
 */
export async function* readBatches(
  file: FileInfo,
  options: { batchSize: number; onFormat: (format: SourceFormat) => void; onProgress: (p: ReadProgress) => void },
): AsyncGenerator<StagedLine[]> {
  const raw = createReadStream(file.path);
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true });
  const input = file.gzipped ? raw.pipe(createGunzip()) : raw;
  const fail = (error: Error) => parser.destroy(new ImportError(`Cannot read ${file.path}: ${error.message}`));
  raw.on('error', fail);
  if (input !== raw) input.on('error', fail);
  input.pipe(parser);

  let columns: ReturnType<typeof detectFormat>['columns'] | null = null;
  let rows = 0;
  let batch: StagedLine[] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!columns) {
        const detected = detectFormat(record);
        columns = detected.columns;
        options.onFormat(detected.format);
        continue;
      }
      rows += 1;
      batch.push(readLine(record, columns, rows));
      if (batch.length >= options.batchSize) {
        options.onProgress({ rows, fraction: file.bytes ? Math.min(0.99, raw.bytesRead / file.bytes) : 0 });
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const message = (error as Error).message;
    if (!columns) throw new ImportError(`This does not look like a UCI Online Retail file: its first line is not a comma-separated header (${message}).`);
    throw new ImportError(`Cannot parse ${file.path} as CSV after data row ${rows.toLocaleString('en')}: ${message}`);
  } finally {
    raw.destroy();
  }
  if (!columns) throw new ImportError(`${file.path} is empty: expected a header row and invoice lines.`);
  if (batch.length > 0) yield batch;
  options.onProgress({ rows, fraction: 1 });
}
