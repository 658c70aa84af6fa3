import { NotFoundError } from '../auth/errors';
import { csvStream } from '../csv/stream';
import type { CellKind } from '../csv/write';
import { getPool, type Queryable } from '../db/pool';
import { findColumn } from './columns';
import { versionCsvFilename } from './slug';

export const EXPORT_PAGE_SIZE = 2000;

export interface ExportableVersion {
  audienceId: number;
  audienceName: string;
  versionId: number;
  number: number;
  rowCount: number;
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

/** The CSV bytes of one version as a stream. */
export function versionCsvStream(version: Pick<ExportableVersion, 'versionId' | 'rowCount' | 'header' | 'kinds'>, pageSize = EXPORT_PAGE_SIZE): ReadableStream<Uint8Array> {
  return csvStream({ header: version.header, kinds: version.kinds, batches: snapshotRowPages(version.versionId, version.rowCount, pageSize) });
}
