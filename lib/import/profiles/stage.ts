import { createHash } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { ExpectedError } from '../../auth/errors';
import { getPool, type Queryable } from '../../db/pool';
import { ImportError } from '../format';
import { checkHeader, delimiterName, detectDelimiter, IMPORT_MAX_BYTES, type ColumnStats } from './mapping';

/**
 * Streams an uploaded profile CSV into profile_import_rows, in batches, without holding the file in
 * memory: bytes are counted (the size limit stops the upload as soon as it is passed), checked to be
 * UTF-8, hashed, and parsed by csv-parse with the delimiter of the first line. Nothing is written to
 * profiles here; a file that cannot be read leaves no job and no rows behind.
 */
export const STAGE_BATCH_ROWS = 5_000;
/** Uploads nobody imported are discarded after this long. */
export const ABANDONED_AFTER_HOURS = 24;
const FIRST_LINE_MAX_CHARS = 1024 * 1024;

export function tooLargeError(limit = IMPORT_MAX_BYTES): ExpectedError {
  return new ExpectedError(`The file is larger than ${Math.round(limit / (1024 * 1024))} MB, the limit for one import. Split it into smaller files (each keeps the header row).`, 413);
}

export interface StageOptions {
  maxBytes?: number;
  batchSize?: number;
  /** Called after each batch is stored (rows so far, bytes read so far). */
  onProgress?: (p: { rows: number; bytes: number }) => void;
}

export interface StagedImport {
  id: number;
  rows: number;
  bytes: number;
  delimiter: string;
  header: string[];
}

/** Drops uploads left unimported (and rows of crashed uploads) after ABANDONED_AFTER_HOURS. */
export async function discardAbandonedImports(db: Queryable = getPool()): Promise<number> {
  const r = await db.query(
    `DELETE FROM profile_imports WHERE status IN ('UPLOADING', 'READY', 'IMPORTING', 'FAILED') AND updated_at < now() - make_interval(hours => $1)`,
    [ABANDONED_AFTER_HOURS],
  );
  return r.rowCount ?? 0;
}

/** UTF-8 text of the byte stream, counting, limiting and hashing the bytes as they pass. */
async function* decode(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxBytes: number, seen: { bytes: number; hash: ReturnType<typeof createHash> }): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true }); // strips a BOM
  for await (const chunk of source) {
    seen.bytes += chunk.byteLength;
    if (seen.bytes > maxBytes) throw tooLargeError(maxBytes);
    seen.hash.update(chunk);
    yield decodeOrExplain(decoder, chunk, seen.bytes);
  }
  yield decodeOrExplain(decoder, undefined, seen.bytes);
}

function decodeOrExplain(decoder: TextDecoder, chunk: Uint8Array | undefined, bytes: number): string {
  try {
    return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
  } catch {
    throw new ImportError(`The file is not UTF-8 text (an invalid byte before byte ${bytes.toLocaleString('en')}). Save it as "CSV UTF-8" and upload it again.`);
  }
}

export async function stageProfileCsv(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  input: { fileName: string; declaredBytes?: number | null },
  actorId: number | null,
  options: StageOptions = {},
): Promise<StagedImport> {
  const maxBytes = options.maxBytes ?? IMPORT_MAX_BYTES;
  const batchSize = options.batchSize ?? STAGE_BATCH_ROWS;
  if (input.declaredBytes && input.declaredBytes > maxBytes) throw tooLargeError(maxBytes);
  const pool = getPool();
  await discardAbandonedImports(pool);
  const fileName = input.fileName.slice(0, 255) || 'upload.csv';
  const created = await pool.query<{ id: number }>(`INSERT INTO profile_imports (file_name, delimiter, header, created_by_id) VALUES ($1, ',', '{}', $2) RETURNING id`, [
    fileName,
    actorId,
  ]);
  const id = created.rows[0]!.id;
  try {
    const staged = await stageRows(id, source, maxBytes, batchSize, options.onProgress);
    const stats = await columnStats(id, staged.header.length);
    await pool.query(
      `UPDATE profile_imports SET status = 'READY', delimiter = $2, header = $3::text[], row_count = $4, bytes = $5, sha256 = $6, column_stats = $7::jsonb, updated_at = now()
        WHERE id = $1`,
      [id, staged.delimiter, staged.header, staged.rows, staged.bytes, staged.sha256, JSON.stringify(stats)],
    );
    return { id, rows: staged.rows, bytes: staged.bytes, delimiter: staged.delimiter, header: staged.header };
  } catch (error) {
    await pool.query(`DELETE FROM profile_imports WHERE id = $1`, [id]).catch(() => {});
    throw error;
  }
}

async function stageRows(id: number, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxBytes: number, batchSize: number, onProgress: StageOptions['onProgress']) {
  const seen = { bytes: 0, hash: createHash('sha256') };
  const text = decode(source, maxBytes, seen);
  // The first line decides the delimiter; it is read ahead, then parsed with the rest.
  let head = '';
  for (;;) {
    const next = await text.next();
    if (next.done) break;
    head += next.value;
    if (/[\r\n]/.test(head)) break;
    if (head.length > FIRST_LINE_MAX_CHARS) throw new ImportError('The first line is longer than 1 MB: is this a CSV file?');
  }
  if (head.trim() === '') throw new ImportError('The file is empty.');
  const delimiter = detectDelimiter(head.split(/\r\n|\r|\n/)[0]!);
  async function* all() {
    try {
      yield head;
      for (;;) {
        const next = await text.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await text.return(undefined);
    }
  }
  const parser = parse({ delimiter, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true });
  pipeline(Readable.from(all()), parser, () => {}); // errors reach the loop below through the parser

  let header: string[] | null = null;
  let rows = 0;
  let batch: string[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await insertBatch(id, rows - batch.length + 2, batch);
    batch = [];
    onProgress?.({ rows, bytes: seen.bytes });
  };
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        const checked = checkHeader(record);
        if (!checked.ok) throw new ImportError(`${checked.message} (The file was read as ${delimiterName(delimiter)}-separated.)`);
        header = checked.header;
        continue;
      }
      rows += 1;
      if (record.some((cell) => cell.includes('\u0000'))) throw new ImportError(`Row ${rows + 1} contains a NUL character, which text cannot hold.`);
      batch.push(record);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } catch (error) {
    parser.destroy();
    if (error instanceof ExpectedError) throw error;
    const code = (error as { code?: string }).code;
    if (code?.startsWith('CSV_')) throw new ImportError(`The file is not valid CSV after row ${(rows + 1).toLocaleString('en')}: ${(error as Error).message}`);
    throw error;
  }
  if (!header) throw new ImportError('The file is empty.');
  return { header, rows, delimiter, bytes: seen.bytes, sha256: seen.hash.digest('hex') };
}

/** One multi-row INSERT per batch; `firstRowNo` is the file row of the batch's first record (the header is row 1). */
async function insertBatch(id: number, firstRowNo: number, records: string[][]): Promise<void> {
  await getPool().query(
    `INSERT INTO profile_import_rows (import_id, row_no, cells)
     SELECT $1, $2::int + t.n - 1, ARRAY(SELECT c.v FROM jsonb_array_elements_text(t.r) WITH ORDINALITY AS c(v, i) ORDER BY c.i)
       FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, n)`,
    [id, firstRowNo, JSON.stringify(records)],
  );
}

/**
 * Per column, over every staged row, in one scan: filled cells, and how many read
 * as a number, yes/no, a date or an e-mail (with tagwise_import_value, as the import will read them).
 */
export async function columnStats(id: number, columns: number, db: Queryable = getPool()): Promise<ColumnStats[]> {
  const { rows } = await db.query<ColumnStats & { col: number }>(
    `SELECT c.col::int AS col,
            count(c.v)::int AS filled,
            count(*) FILTER (WHERE tagwise_import_value('number', c.v) IS NOT NULL)::int AS numbers,
            count(*) FILTER (WHERE c.v ~ '^-?0[0-9]' AND tagwise_import_value('number', c.v) IS NOT NULL)::int AS "leadingZeros",
            count(*) FILTER (WHERE lower(c.v) IN ('true', 'false', 'yes', 'no'))::int AS "yesNo",
            count(*) FILTER (WHERE tagwise_import_value('date', c.v) IS NOT NULL)::int AS dates,
            count(*) FILTER (WHERE tagwise_import_value('email', c.v) IS NOT NULL)::int AS emails
       FROM profile_import_rows r
       CROSS JOIN LATERAL (SELECT i AS col, NULLIF(btrim(x, E' \\t\\r\\n'), '') AS v FROM unnest(r.cells) WITH ORDINALITY AS u(x, i)) c
      WHERE r.import_id = $1 AND c.col <= $2
      GROUP BY c.col`,
    [id, columns],
  );
  const byColumn = new Map(rows.map((r) => [r.col, r]));
  return Array.from({ length: columns }, (_, i) => {
    const r = byColumn.get(i + 1);
    return r
      ? { filled: r.filled, numbers: r.numbers, leadingZeros: r.leadingZeros, yesNo: r.yesNo, dates: r.dates, emails: r.emails }
      : { filled: 0, numbers: 0, leadingZeros: 0, yesNo: 0, dates: 0, emails: 0 };
  });
}

/** The first rows as the file has them, for the mapping screen. */
export async function sampleRows(id: number, limit = 5, db: Queryable = getPool()): Promise<{ row: number; cells: string[] }[]> {
  const { rows } = await db.query<{ row: number; cells: string[] }>(`SELECT row_no AS row, cells FROM profile_import_rows WHERE import_id = $1 ORDER BY row_no LIMIT $2`, [id, limit]);
  return rows;
}
