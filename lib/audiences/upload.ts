import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { audit } from '../audit';
import { ExpectedError, NotFoundError } from '../auth/errors';
import { getPool, withTransaction, type Queryable } from '../db/pool';
import { cellsSql, parseColumns } from './columns';
import { lockAudience, takeNextVersionNumber, translateConflict } from './freeze';

/**
 * A static list uploaded as CSV (profile ids or e-mails) becomes a version of an audience: the
 * profiles it names, with the audience's columns rendered from them as a freeze would.
 *
 * Reading the file (deterministic: the same bytes always give the same report):
 * - UTF-8, with or without a BOM; CRLF, LF or CR line ends; comma, semicolon or tab separated
 *   (whichever the header line uses); blank lines skipped; cells trimmed.
 * - The key column is found by its header, compared without case, spaces and punctuation:
 *   external_id / external id / customer id / customer_id / id  -> matched on the external id;
 *   email / e-mail / email address / mail                        -> matched on the e-mail, lower-cased.
 *   With both, the external id is used (it is what identifies a profile). Without a header, a
 *   one-column file whose first line is an e-mail address is read as a list of e-mails.
 * - A cell our own export neutralised ("'=…", "'-5") is read back without the quote, so an
 *   exported version uploaded again names the same profiles.
 * Each data line is then exactly one of: matched (first line naming a profile), duplicate (names a
 * profile, or repeats an unknown value, already seen on an earlier line), unknown (names no
 * profile), or empty (no value in the key column).
 */
export const UPLOAD_MAX_BYTES = 20 * 1024 * 1024;
const SAMPLE_LINES = 50;

export type UploadKey = 'externalId' | 'email';

const HEADER_KEYS: Record<string, UploadKey> = {
  externalid: 'externalId',
  customerid: 'externalId',
  id: 'externalId',
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
};

export interface ParsedUpload {
  matchedBy: UploadKey;
  /** The header as it was written, or null for a headerless list of e-mails. */
  column: string | null;
  /** Normalised key of every data line, '' for an empty cell, in file order. */
  keys: string[];
  /** The 1-based line of the file each key came from. */
  lines: number[];
  sha256: string;
  bytes: number;
}

export interface UploadReport {
  fileName: string;
  sha256: string;
  bytes: number;
  matchedBy: UploadKey;
  column: string | null;
  dataRows: number;
  matched: number;
  duplicate: number;
  unknown: number;
  empty: number;
  /** The first lines of each kind, in file order. */
  unknownLines: { line: number; value: string }[];
  duplicateLines: { line: number; value: string; firstLine: number }[];
  emptyLines: number[];
}

const normaliseHeader = (h: string) => h.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]/g, '');
const NEUTRALISED = /^'[=+\-@\t\r]/;

function undoNeutralisation(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

function looksLikeEmail(value: string): boolean {
  return /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(value);
}

/** Parses and checks the file; throws an ExpectedError (422/413) that says what is wrong. */
export function parseUploadCsv(bytes: Uint8Array): ParsedUpload {
  if (bytes.byteLength > UPLOAD_MAX_BYTES) throw tooLarge();
  if (bytes.byteLength === 0) throw new ExpectedError('The file is empty.', 422);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ExpectedError('The file is not UTF-8 text. Save it as "CSV UTF-8" and upload it again.', 422);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) throw new ExpectedError('The file is not a text CSV file.', 422);
  const firstLine = text.slice(0, text.search(/\r\n|\n|\r|$/));
  const delimiter = [',', ';', '\t'].find((d) => firstLine.includes(d)) ?? ',';

  const body = Buffer.from(text, 'utf8');
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, record_delimiter: ['\r\n', '\n', '\r'] }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new ExpectedError(`The file is not valid CSV${line ? ` (near line ${line})` : ''}: ${(error as Error).message.replace(/^Invalid [^:]*: /, '')}`, 422);
  }
  const startLines = recordStartLines(body, records.map((r) => r.info.bytes));
  const rows = records.map((r) => r.record);
  if (rows.length === 0) throw new ExpectedError('The file has no lines.', 422);

  const header = rows[0]!;
  const found = header.map((h, i) => ({ i, key: HEADER_KEYS[normaliseHeader(h)] }));
  const pick = found.find((f) => f.key === 'externalId') ?? found.find((f) => f.key === 'email');
  let index: number;
  let matchedBy: UploadKey;
  let column: string | null;
  let first: number;
  if (pick?.key) {
    index = pick.i;
    matchedBy = pick.key;
    column = header[index]!;
    first = 1;
  } else if (header.length === 1 && looksLikeEmail(undoNeutralisation(header[0]!))) {
    index = 0;
    matchedBy = 'email';
    column = null;
    first = 0;
  } else {
    throw new ExpectedError(
      `No column to match on. Name it in the first line: "external_id" (or "customer id", "id") for profile ids, or "email". The first line reads: ${JSON.stringify(header.join(delimiter).slice(0, 120))}.`,
      422,
    );
  }
  const keys: string[] = [];
  const lines: number[] = [];
  for (let r = first; r < rows.length; r++) {
    const raw = undoNeutralisation((rows[r]![index] ?? '').trim());
    keys.push(matchedBy === 'email' ? raw.toLowerCase() : raw);
    lines.push(startLines[r]!);
  }
  if (keys.length === 0) throw new ExpectedError(`The file has a header (${column}) but no rows.`, 422);
  return { matchedBy, column, keys, lines, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
}

/**
 * The file line each record starts on (1-based, as an editor numbers them): csv-parse reports the
 * byte offset where a record ends, so a record starts after the previous one's end and any blank
 * lines it skipped.
 */
function recordStartLines(body: Buffer, endOffsets: number[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  let line = 1;
  const CR = 0x0d;
  const LF = 0x0a;
  const advanceTo = (target: number) => {
    for (; offset < target; offset++) {
      const b = body[offset];
      if (b === LF || (b === CR && body[offset + 1] !== LF)) line++;
    }
  };
  for (const end of endOffsets) {
    while (offset < body.length && (body[offset] === CR || body[offset] === LF)) advanceTo(offset + 1);
    starts.push(line);
    advanceTo(end);
  }
  return starts;
}

export function tooLarge(): ExpectedError {
  return new ExpectedError(`The file is larger than ${UPLOAD_MAX_BYTES / 1024 / 1024} MB. Split it, or upload only the id or e-mail column.`, 413);
}

/**
 * The set-based classification of the keys: every input line (by ordinal) with the profile it
 * names and whether it is the first line naming that profile (or repeating that unknown value).
 * The e-mail match takes the lowest profile id when two profiles differ only in letter case.
 */
function classifiedSql(matchedBy: UploadKey): string {
  const lookup =
    matchedBy === 'externalId'
      ? `SELECT p.external_id AS key, p.id FROM profiles p WHERE p.external_id IN (SELECT key FROM input WHERE key <> '')`
      : `SELECT DISTINCT ON (lower(p.email)) lower(p.email) AS key, p.id FROM profiles p
          WHERE lower(p.email) IN (SELECT key FROM input WHERE key <> '') ORDER BY lower(p.email), p.id`;
  return `
    input AS (SELECT k.key, k.ord::int AS ord FROM unnest($1::text[]) WITH ORDINALITY AS k(key, ord)),
    found AS (${lookup}),
    classified AS (
      SELECT i.ord, i.key, f.id AS profile_id,
             CASE WHEN i.key = '' THEN 'empty'
                  WHEN row_number() OVER (PARTITION BY coalesce('p' || f.id::text, 'k' || i.key) ORDER BY i.ord) > 1 THEN 'duplicate'
                  WHEN f.id IS NULL THEN 'unknown'
                  ELSE 'matched' END AS status,
             min(i.ord) OVER (PARTITION BY coalesce('p' || f.id::text, 'k' || i.key)) AS first_ord
        FROM input i LEFT JOIN found f ON f.key = i.key
    )`;
}

interface Summary {
  matched: number;
  duplicate: number;
  unknown: number;
  empty: number;
  samples: { ord: number; key: string; status: string; first_ord: number }[] | null;
}

const SUMMARY_SELECT = `
  SELECT count(*) FILTER (WHERE status = 'matched')::int AS matched,
         count(*) FILTER (WHERE status = 'duplicate')::int AS duplicate,
         count(*) FILTER (WHERE status = 'unknown')::int AS unknown,
         count(*) FILTER (WHERE status = 'empty')::int AS empty,
         (SELECT json_agg(s ORDER BY s.status, s.ord) FROM (
            SELECT ord, key, status, first_ord, row_number() OVER (PARTITION BY status ORDER BY ord) AS n
              FROM classified WHERE status <> 'matched') s WHERE s.n <= ${SAMPLE_LINES}) AS samples
    FROM classified`;

function report(fileName: string, parsed: ParsedUpload, summary: Summary): UploadReport {
  const samples = summary.samples ?? [];
  const line = (ord: number) => parsed.lines[ord - 1]!;
  return {
    fileName,
    sha256: parsed.sha256,
    bytes: parsed.bytes,
    matchedBy: parsed.matchedBy,
    column: parsed.column,
    dataRows: parsed.keys.length,
    matched: summary.matched,
    duplicate: summary.duplicate,
    unknown: summary.unknown,
    empty: summary.empty,
    unknownLines: samples.filter((s) => s.status === 'unknown').map((s) => ({ line: line(s.ord), value: s.key })),
    duplicateLines: samples.filter((s) => s.status === 'duplicate').map((s) => ({ line: line(s.ord), value: s.key, firstLine: line(s.first_ord) })),
    emptyLines: samples.filter((s) => s.status === 'empty').map((s) => line(s.ord)),
  };
}

/** What an upload would do, without storing anything. */
export async function checkUpload(audienceId: number, bytes: Uint8Array, fileName: string, client: Queryable = getPool()): Promise<UploadReport> {
  const exists = await client.query(`SELECT 1 FROM audiences WHERE id = $1`, [audienceId]);
  if (exists.rowCount === 0) throw new NotFoundError('The audience');
  const parsed = parseUploadCsv(bytes);
  const r = await client.query<Summary>(`WITH ${classifiedSql(parsed.matchedBy)} ${SUMMARY_SELECT}`, [parsed.keys]);
  return report(cleanFileName(fileName), parsed, r.rows[0]!);
}

export interface UploadedVersion {
  audienceId: number;
  versionId: number;
  number: number;
  rowCount: number;
  report: UploadReport;
}

/**
 * Makes the next version of the audience from the file, in one transaction with the freeze's
 * lock and counter: the matched profiles, in profile id order, with the audience's columns.
 * Refused (nothing stored) when the file is unreadable or names no profile at all.
 */
export async function uploadVersion(audienceId: number, bytes: Uint8Array, fileName: string, userId: number | null, now = new Date()): Promise<UploadedVersion> {
  const parsed = parseUploadCsv(bytes);
  const name = cleanFileName(fileName);
  return withTransaction(async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const audience = await lockAudience(client, audienceId);
    const columns = parseColumns(audience.columns);
    if (!columns.ok) throw new ExpectedError(`The audience's export columns are not valid: ${columns.message}. Fix them before uploading.`, 422);
    const summary = (await client.query<Summary>(`WITH ${classifiedSql(parsed.matchedBy)} ${SUMMARY_SELECT}`, [parsed.keys])).rows[0]!;
    const result = report(name, parsed, summary);
    if (result.matched === 0) {
      throw new ExpectedError(`None of the ${result.dataRows} rows names a profile (matched on ${result.matchedBy === 'email' ? 'e-mail' : 'external id'}); nothing was stored.`, 422);
    }
    const number = await takeNextVersionNumber(client, audienceId);
    const upload = { fileName: name, sha256: result.sha256, bytes: result.bytes, matchedBy: result.matchedBy, column: result.column, dataRows: result.dataRows, matched: result.matched, duplicate: result.duplicate, unknown: result.unknown, empty: result.empty };
    const keys = columns.columns.map((c) => c.key);
    // REPEATABLE READ: the rows copied are the profiles the summary counted.
    const inserted = await client.query<{ id: number; row_count: number }>(
      `INSERT INTO audience_versions (audience_id, number, source, rules, columns, upload, row_count, created_by_id, created_at)
       VALUES ($1, $2, 'UPLOAD', NULL, $3::jsonb, $4::jsonb, $5, $6, $7::timestamptz) RETURNING id, row_count`,
      [audienceId, number, JSON.stringify(keys), JSON.stringify(upload), result.matched, userId, now.toISOString()],
    );
    const copied = await client.query(
      `WITH ${classifiedSql(parsed.matchedBy)}
       INSERT INTO audience_snapshot_rows (version_id, row_no, profile_id, cells)
       SELECT $2::int, (row_number() OVER (ORDER BY p.id))::int, p.id, ${cellsSql(columns.columns)}
         FROM classified c JOIN profiles p ON p.id = c.profile_id WHERE c.status = 'matched'`,
      [parsed.keys, inserted.rows[0]!.id],
    );
    if (copied.rowCount !== result.matched) throw new Error(`upload copied ${copied.rowCount} rows but matched ${result.matched}`);
    const row = inserted.rows[0]!;
    await audit({ actorId: userId, action: 'audience.upload', entityType: 'audience', entityId: audienceId, details: { versionId: row.id, number, rowCount: row.row_count, ...upload } }, client);
    return { audienceId, versionId: row.id, number, rowCount: row.row_count, report: result };
  }).catch(translateConflict);
}

/** A file name for display and the audit log: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'upload.csv';
}
