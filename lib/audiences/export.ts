import { to as copyTo } from 'pg-copy-streams';
import { ExpectedError, NotFoundError } from '../auth/errors';
import { CopyCsvRewriter } from '../csv/copy-rewrite';
import { neutralisedSql, recordSql } from '../csv/sql';
import { csvStream, csvTextStream } from '../csv/stream';
import type { CellKind } from '../csv/write';
import { databaseKind } from '../db/kind';
import { getPool, type Queryable } from '../db/pool';
import { findColumn } from './columns';
import { isPresetId, presetLayout, PRESET_IDS, type PresetId } from './presets';
import { versionCsvFilename } from './slug';

export const EXPORT_PAGE_SIZE = 2000;

export interface ExportableVersion {
  audienceId: number;
  audienceName: string;
  versionId: number;
  number: number;
  rowCount: number;
  /** The catalogue keys frozen with the version, in order. */
  columns: string[];
  header: string[];
  kinds: CellKind[];
  filename: string;
}

/** The version to download, with its header and cell kinds taken from the column list frozen with it. */
export async function findExportableVersion(audienceId: number, number: number, client: Queryable = getPool()): Promise<ExportableVersion> {
  const found = await client.query<{ name: string; id: number; row_count: number; columns: unknown }>(
    `SELECT a.name, v.id, v.row_count, v.columns FROM audience_versions v JOIN audiences a ON a.id = v.audience_id
      WHERE v.audience_id = $1 AND v.number = $2`,
    [audienceId, number],
  );
  const row = found.rows[0];
  if (!row) throw new NotFoundError(`Version ${number} of this audience`);
  const keys = Array.isArray(row.columns) ? row.columns.map(String) : [];
  // A column dropped from the catalogue later still downloads, under its key, as text.
  const columns = keys.map((key) => findColumn(key) ?? { header: key, kind: 'text' as const });
  return {
    audienceId,
    audienceName: row.name,
    versionId: row.id,
    number,
    rowCount: row.row_count,
    columns: keys,
    header: columns.map((c) => c.header),
    kinds: columns.map((c) => (c.kind === 'number' ? 'number' : 'text')),
    filename: versionCsvFilename(row.name, number, row.row_count),
  };
}

/**
 * The version's rows in row_no order, one page per query, keyset-paged on the primary key.
 * No cursor or transaction stays open between pages (on PGlite an open transaction would stall
 * every other connection while a slow client downloads); rows never change, so pages are consistent.
 */
export async function* snapshotRowPages(versionId: number, expectedRows: number, pageSize = EXPORT_PAGE_SIZE, client: Queryable = getPool()) {
  let after = 0;
  let seen = 0;
  for (;;) {
    const page = await client.query<{ row_no: number; cells: (string | null)[] }>(
      `SELECT row_no, cells FROM audience_snapshot_rows WHERE version_id = $1 AND row_no > $2 ORDER BY row_no LIMIT $3`,
      [versionId, after, pageSize],
    );
    if (page.rows.length === 0) break;
    seen += page.rows.length;
    after = page.rows[page.rows.length - 1]!.row_no;
    yield page.rows.map((r) => r.cells);
    if (page.rows.length < pageSize) break;
  }
  if (seen !== expectedRows) throw new Error(`snapshot ${versionId} has ${seen} rows, expected ${expectedRows} (deleted during the download?)`);
}

/**
 * The version's records rendered to CSV text by the database (lib/csv/sql.ts), one page per
 * query, keyset-paged on row_no. The next page is asked for as soon as a page arrives, so the
 * database renders it while this one is sent. `only`, for comparisons, keeps the rows whose profile
 * is (or is not) in another version, probed through that version's (version_id, profile_id) index.
 */
export async function* renderedPages(
  versionId: number,
  kinds: readonly CellKind[],
  expectedRows: number,
  pageSize = EXPORT_PAGE_SIZE,
  only: { versionId: number; present: boolean } | null = null,
  client: Queryable = getPool(),
): AsyncGenerator<string> {
  const fields = kinds.map((kind, i) => `${neutralisedSql(`r.cells[${i + 1}]`, kind === 'phone' ? 'text' : kind)} AS n${i + 1}`);
  const filter = only ? `AND ${only.present ? '' : 'NOT '}EXISTS (SELECT 1 FROM audience_snapshot_rows o WHERE o.version_id = $4 AND o.profile_id = r.profile_id)` : '';
  const sql = `
    SELECT string_agg(line, '' ORDER BY row_no) AS text, max(row_no)::int AS last, count(*)::int AS n FROM (
      SELECT s.row_no, ${recordSql(kinds.map((_, i) => `s.n${i + 1}`))} AS line FROM (
        SELECT r.row_no, ${fields.join(', ')} FROM audience_snapshot_rows r
         WHERE r.version_id = $1 AND r.row_no > $2 ${filter} ORDER BY r.row_no LIMIT $3
      ) s
    ) t`;
  const fetch = (after: number) =>
    client.query<{ text: string | null; last: number | null; n: number }>(sql, only ? [versionId, after, pageSize, only.versionId] : [versionId, after, pageSize]).then((r) => r.rows[0]!);
  let seen = 0;
  let next: Promise<{ text: string | null; last: number | null; n: number }> | null = fetch(0);
  try {
    while (next) {
      const page = await next;
      next = null;
      if (page.n === 0) break;
      seen += page.n;
      if (page.n === pageSize) {
        next = fetch(page.last!);
        next.catch(() => {}); // awaited on the next turn, or in finally when the reader stops early
      }
      yield page.text!;
    }
  } finally {
    if (next) await next.catch(() => {});
  }
  if (seen !== expectedRows) throw new Error(`snapshot ${versionId} has ${seen} rows, expected ${expectedRows} (deleted during the download?)`);
}

/** Downloads that may hold a pooled connection for a COPY at once; more take the paged path. */
const MAX_COPY_DOWNLOADS = 2;
/** COPY arrives in chunks of a few KB; handing out ~64 KB at a time means fewer allocations and stream turns. */
const COPY_CHUNK_BYTES = 64 * 1024;
let copyDownloads = 0;

/**
 * The version's records through PostgreSQL's own CSV writer (`COPY … TO STDOUT`), rewritten
 * on the fly into our CSV (lib/csv/copy-rewrite.ts). Reading is paced by the consumer (the
 * copy stream pauses when not read), so memory stays at a chunk; a stopped download destroys
 * the connection, which ends the COPY on the server.
 */
export async function* copiedRecords(versionId: number, kinds: readonly CellKind[], expectedRows: number): AsyncGenerator<Uint8Array> {
  if (!Number.isSafeInteger(versionId)) throw new Error('version id must be an integer'); // COPY takes no parameters
  const columns = kinds.map((_, i) => `cells[${i + 1}]`).join(', ');
  const client = await getPool().connect();
  let finished = false;
  try {
    const stream = client.query(copyTo(`COPY (SELECT ${columns} FROM audience_snapshot_rows WHERE version_id = ${versionId} ORDER BY row_no) TO STDOUT (FORMAT csv)`));
    const rewriter = new CopyCsvRewriter(kinds, COPY_CHUNK_BYTES);
    for await (const chunk of stream) {
      const out = rewriter.push(chunk as Buffer);
      if (out.length > 0) yield out;
    }
    const rest = rewriter.end();
    if (rest.length > 0) yield rest;
    if (rewriter.records !== expectedRows) throw new Error(`snapshot ${versionId} has ${rewriter.records} rows, expected ${expectedRows}`);
    finished = true;
  } finally {
    client.release(finished ? undefined : true);
  }
}

/**
 * The records of a version: through COPY on PostgreSQL (while few downloads hold a connection),
 * else paged (PGlite is one backend: a long COPY there would hold up every other connection).
 * Both give the same bytes.
 */
async function* versionRecords(versionId: number, kinds: readonly CellKind[], expectedRows: number, pageSize: number): AsyncGenerator<string | Uint8Array> {
  if (databaseKind() === 'pglite' || copyDownloads >= MAX_COPY_DOWNLOADS || pageSize !== EXPORT_PAGE_SIZE) {
    yield* renderedPages(versionId, kinds, expectedRows, pageSize);
    return;
  }
  copyDownloads++;
  try {
    yield* copiedRecords(versionId, kinds, expectedRows);
  } finally {
    copyDownloads--;
  }
}

/** The CSV bytes of one version as a stream, exactly as frozen. */
export function versionCsvStream(version: Pick<ExportableVersion, 'versionId' | 'rowCount' | 'header' | 'kinds'>, pageSize = EXPORT_PAGE_SIZE, bom = false): ReadableStream<Uint8Array> {
  return csvTextStream({ header: version.header, bom, chunks: versionRecords(version.versionId, version.kinds, version.rowCount, pageSize) });
}

/** How a download is written: plain (as frozen) or as an ad platform's customer list, optionally hashed, with or without a BOM. */
export interface CsvOptions {
  bom: boolean;
  preset: PresetId | null;
  hashed: boolean;
}

export const PLAIN_CSV: CsvOptions = { bom: false, preset: null, hashed: false };

const FLAG = /^(1|true|yes|on)$/i;
const NO_FLAG = /^(0|false|no|off|)$/i;

/** `?bom=1&preset=google&hash=sha256` (also `hash=1`); anything unknown is a 400, not a silent default. */
export function parseCsvOptions(params: URLSearchParams): CsvOptions {
  const flag = (name: string) => {
    const value = params.get(name);
    if (value === null || NO_FLAG.test(value)) return false;
    if (FLAG.test(value) || (name === 'hash' && value.toLowerCase() === 'sha256')) return true;
    throw new ExpectedError(`Unknown value for ${name}: use 1 or 0.`, 400);
  };
  const presetParam = params.get('preset');
  if (presetParam !== null && presetParam !== '' && !isPresetId(presetParam)) {
    throw new ExpectedError(`Unknown preset "${presetParam.slice(0, 40)}": use one of ${PRESET_IDS.join(', ')}.`, 400);
  }
  const preset = presetParam ? (presetParam as PresetId) : null;
  const hashed = flag('hash');
  if (hashed && !preset) throw new ExpectedError('Hashing applies to an export preset: add preset=google or preset=meta.', 400);
  return { bom: flag('bom'), preset, hashed };
}

export interface CsvDownload {
  filename: string;
  rowCount: number;
  stream: ReadableStream<Uint8Array>;
}

/** The file for one version under the options: its name and its bytes as a stream. */
export function versionCsvDownload(version: ExportableVersion, options: CsvOptions = PLAIN_CSV, pageSize = EXPORT_PAGE_SIZE): CsvDownload {
  if (!options.preset) {
    return { filename: version.filename, rowCount: version.rowCount, stream: versionCsvStream(version, pageSize, options.bom) };
  }
  const result = presetLayout(options.preset, version.columns, options.hashed);
  if (!result.ok) throw new ExpectedError(result.message, 422);
  const { layout } = result;
  const pages = snapshotRowPages(version.versionId, version.rowCount, pageSize);
  async function* mapped() {
    for await (const page of pages) yield page.map(layout.row);
  }
  const suffix = `${options.preset}${options.hashed ? '-sha256' : ''}`;
  return {
    filename: versionCsvFilename(version.audienceName, version.number, version.rowCount, suffix),
    rowCount: version.rowCount,
    stream: csvStream({ header: layout.header, kinds: layout.kinds, bom: options.bom, batches: mapped() }),
  };
}

/**
 * The HTTP answer for a CSV file: streamed as it is read (no Content-Length, so nothing is
 * buffered; the browser shows the bytes arriving), as an attachment under its file name.
 */
export function csvResponse(download: Pick<CsvDownload, 'filename' | 'rowCount' | 'stream'>): Response {
  return new Response(download.stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${download.filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Row-Count': String(download.rowCount),
    },
  });
}
