import { audit } from '../../audit';
import { ExpectedError, NotFoundError } from '../../auth/errors';
import { getPool, withTransaction } from '../../db/pool';
import type { TraitDefinition } from '../../rules/fields';
import { runSegmentEvaluation } from '../../segments/evaluate';
import { defineTrait, listTraitDefinitions } from '../../traits/registry';
import { checkImport, type CheckReport } from './check';
import { EMPTY_STATS, mappingSchema, resolveMapping, suggestMapping, type ColumnStats, type ImportMapping, type ResolvedMapping } from './mapping';
import { sampleRows } from './stage';
import { writeProfiles, type WriteCounts } from './write';

/**
 * A profile import as the page sees it, and its two steps after the upload: check (the validation
 * report, nothing written) and run (check again, then register the new traits and write the
 * profiles in one transaction; then re-evaluate the segments). The job row carries the phase, which
 * the page polls for its progress bar.
 */
export type ImportStatus = 'UPLOADING' | 'READY' | 'IMPORTING' | 'COMPLETED' | 'FAILED';
export type ImportPhase = 'writing' | 'evaluating' | null;

export interface ImportColumn {
  index: number;
  header: string;
  stats: ColumnStats;
  samples: string[];
}

export interface ImportResult extends CheckReport {
  written: WriteCounts;
  traitsRegistered: string[];
  evaluation: { status: 'completed'; runId: number; segments: number } | { status: 'busy'; runId: number | null } | { status: 'failed'; error: string } | { status: 'not-needed' };
  ms: number;
}

export interface ImportJobView {
  id: number;
  fileName: string;
  bytes: number;
  sha256: string | null;
  delimiter: string;
  rows: number;
  status: ImportStatus;
  phase: ImportPhase;
  columns: ImportColumn[];
  /** The mapping last checked or imported, else a suggestion from the column names and statistics. */
  mapping: ImportMapping;
  report: CheckReport | ImportResult | null;
  error: string | null;
  registeredTraits: TraitDefinition[];
  createdAt: Date;
  finishedAt: Date | null;
}

/** A mapping that cannot be used: every problem in words (422). */
export class MappingError extends ExpectedError {
  constructor(readonly problems: string[]) {
    super(`The mapping cannot be used: ${problems.join(' ')}`, 422);
  }
}

/** The file has problems: the report lists them with row numbers; nothing was written (422). */
export class ImportRefusedError extends ExpectedError {
  constructor(readonly report: CheckReport) {
    super(`Nothing was imported: the check found ${report.problems.length === 1 ? 'a problem' : `${report.problems.length} problems`}. Fix the file or the mapping, then try again.`, 422);
  }
}

interface JobRow {
  id: number;
  file_name: string;
  bytes: number;
  sha256: string | null;
  delimiter: string;
  header: string[];
  row_count: number;
  status: ImportStatus;
  phase: ImportPhase;
  column_stats: ColumnStats[] | null;
  mapping: ImportMapping | null;
  report: CheckReport | ImportResult | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

async function loadJob(id: number): Promise<JobRow> {
  const { rows } = await getPool().query<JobRow>(`SELECT * FROM profile_imports WHERE id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError('The import');
  return rows[0];
}

export async function getImportJob(id: number): Promise<ImportJobView> {
  const job = await loadJob(id);
  const registered = await listTraitDefinitions();
  const samples = job.status === 'READY' || job.status === 'FAILED' ? await sampleRows(id) : [];
  const stats = job.column_stats ?? [];
  return {
    id: job.id,
    fileName: job.file_name,
    bytes: job.bytes,
    sha256: job.sha256,
    delimiter: job.delimiter,
    rows: job.row_count,
    status: job.status,
    phase: job.phase,
    columns: job.header.map((header, index) => ({ index, header, stats: stats[index] ?? EMPTY_STATS, samples: samples.map((s) => s.cells[index] ?? '') })),
    mapping: job.mapping ?? suggestMapping(job.header, stats, registered),
    report: job.report,
    error: job.error,
    registeredTraits: registered,
    createdAt: job.created_at,
    finishedAt: job.finished_at,
  };
}

function parseMapping(input: unknown): ImportMapping {
  const parsed = mappingSchema.safeParse(input);
  if (!parsed.success) throw new MappingError(parsed.error.issues.map((i) => `${i.path.join('.') || 'mapping'}: ${i.message}.`));
  return parsed.data;
}

function resolve(mapping: ImportMapping, header: string[], registered: TraitDefinition[]): ResolvedMapping {
  const resolved = resolveMapping(mapping, header, registered);
  if (!resolved.ok) throw new MappingError(resolved.problems);
  return resolved.mapping;
}

/** The validation report for this mapping; writes nothing but the job's mapping and report. */
export async function checkImportJob(id: number, mappingInput: unknown): Promise<CheckReport> {
  const job = await loadJob(id);
  if (job.status !== 'READY' && job.status !== 'FAILED') throw new ExpectedError(statusMessage(job.status), 409);
  const mapping = parseMapping(mappingInput);
  const resolved = resolve(mapping, job.header, await listTraitDefinitions());
  const report = await checkImport(id, job.header, resolved);
  await getPool().query(`UPDATE profile_imports SET mapping = $2::jsonb, report = $3::jsonb, updated_at = now() WHERE id = $1 AND status IN ('READY', 'FAILED')`, [
    id,
    JSON.stringify(mapping),
    JSON.stringify(report),
  ]);
  return report;
}

function statusMessage(status: ImportStatus): string {
  if (status === 'IMPORTING') return 'This file is being imported right now.';
  if (status === 'COMPLETED') return 'This file was imported already; upload it again to import it once more.';
  return 'This file is still uploading.';
}

/** An import still marked IMPORTING after this long was cut short (its transaction rolled back). */
export const STALE_IMPORT_MINUTES = 60;

export interface RunOptions {
  /** Re-evaluate the segments after a change (default true). */
  evaluate?: boolean;
}

/**
 * Imports the staged file: all or nothing. The check runs again inside the transaction (the data may
 * have changed since the page showed the report); any problem, or any failure while writing, rolls
 * everything back (profiles, trait registrations, audit entry) and the staged rows stay for another
 * try. On success the staged rows are deleted and, when profiles changed, every active segment is
 * re-evaluated (a DATA_CHANGE run).
 */
export async function runImportJob(id: number, mappingInput: unknown, actorId: number | null, options: RunOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const pool = getPool();
  const mapping = parseMapping(mappingInput);
  const claimed = await pool.query<{ header: string[]; file_name: string; sha256: string | null }>(
    `UPDATE profile_imports SET status = 'IMPORTING', phase = 'writing', mapping = $2::jsonb, error = NULL, updated_at = now()
      WHERE id = $1 AND (status IN ('READY', 'FAILED')
                         -- an import whose process died mid-way rolled back; after a while it may be tried again
                         OR (status = 'IMPORTING' AND updated_at < now() - make_interval(mins => $3)))
      RETURNING header, file_name, sha256`,
    [id, JSON.stringify(mapping), STALE_IMPORT_MINUTES],
  );
  if (!claimed.rows[0]) throw new ExpectedError(statusMessage((await loadJob(id)).status), 409);
  const { header, file_name: fileName, sha256 } = claimed.rows[0];

  let result: ImportResult;
  try {
    result = await withTransaction(async (client) => {
      // Held FOR SHARE until the end: no trait can be retyped or removed under the import.
      const resolved = resolve(mapping, header, await listTraitDefinitions(client, { lockShared: true }));
      const report = await checkImport(id, header, resolved, client);
      if (!report.ok) throw new ImportRefusedError(report);
      for (const t of resolved.traits.filter((t) => t.isNew)) await defineTrait({ key: t.key, label: t.label, type: t.type }, actorId, client);
      const written = await writeProfiles(client, id, resolved);
      const outcome: ImportResult = {
        ...report,
        written,
        traitsRegistered: report.newTraits.map((t) => t.key),
        evaluation: { status: 'not-needed' },
        ms: 0,
      };
      await audit(
        {
          actorId,
          action: 'profile.import',
          entityType: 'profile_import',
          entityId: id,
          details: { fileName, sha256, rows: report.rows, key: report.key, ...written, traitsRegistered: outcome.traitsRegistered },
        },
        client,
      );
      await client.query(`DELETE FROM profile_import_rows WHERE import_id = $1`, [id]);
      const changed = written.created + written.updated > 0 && options.evaluate !== false;
      outcome.ms = Math.round(performance.now() - started);
      await client.query(
        `UPDATE profile_imports SET status = 'COMPLETED', phase = $2, report = $3::jsonb, finished_at = now(), updated_at = now() WHERE id = $1`,
        [id, changed ? 'evaluating' : null, JSON.stringify(outcome)],
      );
      return outcome;
    });
  } catch (error) {
    const refused = error instanceof ImportRefusedError ? error.report : null;
    const message = error instanceof ExpectedError ? error.message : `The import failed and wrote nothing: ${(error as Error).message}`;
    if (!(error instanceof ExpectedError)) console.error(`profile import ${id} failed`, error);
    await pool.query(`UPDATE profile_imports SET status = 'FAILED', phase = NULL, error = $2, report = coalesce($3::jsonb, report), updated_at = now() WHERE id = $1`, [
      id,
      message,
      refused ? JSON.stringify(refused) : null,
    ]);
    if (error instanceof ExpectedError) throw error;
    throw new ExpectedError(message, 500);
  }

  if (result.written.created + result.written.updated > 0 && options.evaluate !== false) {
    result.evaluation = await evaluateAfterImport();
    result.ms = Math.round(performance.now() - started);
    await pool.query(`UPDATE profile_imports SET phase = NULL, report = $2::jsonb, updated_at = now() WHERE id = $1`, [id, JSON.stringify(result)]);
  }
  return result;
}

async function evaluateAfterImport(): Promise<ImportResult['evaluation']> {
  try {
    const run = await runSegmentEvaluation({ trigger: 'DATA_CHANGE' });
    return run.status === 'completed' ? { status: 'completed', runId: run.runId, segments: run.segments.length } : { status: 'busy', runId: run.runId };
  } catch (error) {
    // The profiles are in; the next scheduled run re-tags them. The import itself succeeded.
    console.error('evaluating segments after a profile import failed', error);
    return { status: 'failed', error: (error as Error).message };
  }
}

/** Drops an upload that will not be imported (its staged rows go with it). */
export async function discardImportJob(id: number): Promise<void> {
  const r = await getPool().query(`DELETE FROM profile_imports WHERE id = $1 AND status IN ('READY', 'FAILED')`, [id]);
  if (!r.rowCount) {
    const job = await loadJob(id);
    throw new ExpectedError(statusMessage(job.status), 409);
  }
}

export interface ImportListItem {
  id: number;
  fileName: string;
  rows: number;
  status: ImportStatus;
  createdBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  created: number | null;
  updated: number | null;
  error: string | null;
}

/** The most recent uploads and imports, newest first (the import page's history). */
export async function listRecentImports(limit = 10): Promise<ImportListItem[]> {
  const { rows } = await getPool().query<ImportListItem>(
    `SELECT i.id, i.file_name AS "fileName", i.row_count AS rows, i.status::text AS status, u.name AS "createdBy",
            i.created_at AS "createdAt", i.finished_at AS "finishedAt",
            (i.report #>> '{written,created}')::int AS created, (i.report #>> '{written,updated}')::int AS updated, i.error
       FROM profile_imports i LEFT JOIN users u ON u.id = i.created_by_id
      ORDER BY i.id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
