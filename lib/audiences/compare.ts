import { NotFoundError } from '../auth/errors';
import { csvTextStream } from '../csv/stream';
import { getPool, type Queryable } from '../db/pool';
import { EXPORT_PAGE_SIZE, findExportableVersion, renderedPages, type ExportableVersion } from './export';
import { versionCsvFilename } from './slug';

/**
 * Comparing two versions of one audience, keyed by profile id over their frozen rows:
 * added = in `to` and not in `from`, removed = in `from` and not in `to`, kept = in both.
 * A profile deleted and created again is a new profile (a new id), so it counts as removed and added.
 */
export type CompareList = 'added' | 'removed' | 'kept';
export const COMPARE_LISTS: readonly CompareList[] = ['added', 'removed', 'kept'];

export interface VersionComparison {
  audienceId: number;
  from: { number: number; rowCount: number; createdAt: Date };
  to: { number: number; rowCount: number; createdAt: Date };
  added: number;
  removed: number;
  kept: number;
}

interface VersionRef {
  id: number;
  number: number;
  row_count: number;
  created_at: Date;
}

async function versionRef(audienceId: number, number: number, client: Queryable): Promise<VersionRef> {
  const r = await client.query<VersionRef>(`SELECT id, number, row_count, created_at FROM audience_versions WHERE audience_id = $1 AND number = $2`, [audienceId, number]);
  if (!r.rows[0]) throw new NotFoundError(`Version ${number} of this audience`);
  return r.rows[0];
}

/** The three counts in one set-based statement (a full join of the two versions' profile ids). */
export async function compareVersions(audienceId: number, fromNumber: number, toNumber: number, client: Queryable = getPool()): Promise<VersionComparison> {
  const from = await versionRef(audienceId, fromNumber, client);
  const to = await versionRef(audienceId, toNumber, client);
  const r = await client.query<{ added: number; removed: number; kept: number }>(
    `SELECT count(*) FILTER (WHERE a.profile_id IS NULL)::int AS added,
            count(*) FILTER (WHERE b.profile_id IS NULL)::int AS removed,
            count(*) FILTER (WHERE a.profile_id IS NOT NULL AND b.profile_id IS NOT NULL)::int AS kept
       FROM (SELECT profile_id FROM audience_snapshot_rows WHERE version_id = $1) a
       FULL JOIN (SELECT profile_id FROM audience_snapshot_rows WHERE version_id = $2) b ON b.profile_id = a.profile_id`,
    [from.id, to.id],
  );
  const counts = r.rows[0]!;
  return {
    audienceId,
    from: { number: from.number, rowCount: from.row_count, createdAt: from.created_at },
    to: { number: to.number, rowCount: to.row_count, createdAt: to.created_at },
    ...counts,
  };
}

export interface CompareDownload {
  filename: string;
  rowCount: number;
  stream: ReadableStream<Uint8Array>;
}

/** A comparison list as a CSV file: "<audience>-v1-to-v2-added-12rows.csv". */
export async function compareListDownload(
  audienceId: number,
  fromNumber: number,
  toNumber: number,
  list: CompareList,
  options: { bom?: boolean; pageSize?: number } = {},
  client: Queryable = getPool(),
): Promise<CompareDownload> {
  const comparison = await compareVersions(audienceId, fromNumber, toNumber, client);
  const from = await findExportableVersion(audienceId, fromNumber, client);
  const to = await findExportableVersion(audienceId, toNumber, client);
  const source: ExportableVersion = list === 'removed' ? from : to;
  const other = list === 'removed' ? to : from;
  const rowCount = comparison[list];
  const base = versionCsvFilename(to.audienceName, fromNumber, rowCount).replace(/-v\d+-\d+rows\.csv$/, '');
  return {
    filename: `${base}-v${fromNumber}-to-v${toNumber}-${list}-${rowCount}rows.csv`,
    rowCount,
    // Rendered and paged like a download; the other version is probed through its (version_id, profile_id) index.
    stream: csvTextStream({
      header: source.header,
      bom: options.bom,
      chunks: renderedPages(source.versionId, source.kinds, rowCount, options.pageSize ?? EXPORT_PAGE_SIZE, { versionId: other.versionId, present: list === 'kept' }, client),
    }),
  };
}
