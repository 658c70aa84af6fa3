import path from 'node:path';
import { audit } from '../audit';
import { getPool } from '../db/pool';
import { recomputeMetrics } from '../profiles/metrics';
import type { SourceFormat } from './format';
import { inspectFile, readBatches } from './read';
import { createStagingTable } from './staging';
import { fixShift, groupInvoices, insertEvents, SOURCE, summariseLines, upsertProfiles } from './transform';

export interface ImportReport {
  file: string;
  format: SourceFormat | null;
  rowsRead: number;
  guestRowsSkipped: number;
  adjustmentRowsSkipped: number;
  invoices: number;
  profilesCreated: number;
  profilesUpdated: number;
  eventsInserted: { orders: number; cancellations: number };
  eventsAlreadyPresent: number;
  metricsChanged: number;
  shift: { days: number; fixedNow: boolean; lastInvoiceAt: string } | null;
  /** Milliseconds per phase, in order. */
  timings: Record<string, number>;
}

export interface ImportOptions {
  log?: (line: string) => void;
  /** The clock that "yesterday" is counted from on the first import (tests). */
  now?: Date;
  batchSize?: number;
  /** Who started the import, for the audit log (null: the command line or the demo loader). */
  actorId?: number | null;
}

const fmt = (n: number) => n.toLocaleString('en');

/**
 * Imports a UCI Online Retail (or Online Retail II) CSV, gzipped or not: streams it into a staging
 * table, then turns it into profiles, one event per invoice and recomputed metrics, all in SQL.
 * Idempotent: a second import of the same file inserts nothing and changes no profile.
 */
export async function importOnlineRetail(file: string, options: ImportOptions = {}): Promise<ImportReport> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const info = inspectFile(file);
  const name = path.basename(file);
  const timings: Record<string, number> = {};
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await fn();
    timings[phase] = Math.round(performance.now() - started);
    log(`  ${phase}: ${(timings[phase] / 1000).toFixed(1)} s`);
    return result;
  };

  const report: ImportReport = {
    file: name,
    format: null,
    rowsRead: 0,
    guestRowsSkipped: 0,
    adjustmentRowsSkipped: 0,
    invoices: 0,
    profilesCreated: 0,
    profilesUpdated: 0,
    eventsInserted: { orders: 0, cancellations: 0 },
    eventsAlreadyPresent: 0,
    metricsChanged: 0,
    shift: null,
    timings,
  };

  // One connection for the whole import: temporary tables live in its session (on PostgreSQL).
  const client = await getPool().connect();
  const temporary: string[] = [];
  try {
    log(`importing ${name} (${(info.bytes / 1e6).toFixed(1)} MB${info.gzipped ? ', gzip' : ''})`);
    const staging = await createStagingTable(client);
    temporary.push(staging.name);

    // Batches commit one by one, so the app keeps being served while the file streams in.
    await timed('read and stage rows', async () => {
      const inFlight = oneInFlight();
      let reportedAt = 0;
      for await (const batch of readBatches(info, {
        batchSize: options.batchSize ?? 10_000,
        onFormat: (format) => {
          report.format = format;
          log(`  format: ${format === 'online-retail' ? 'Online Retail' : 'Online Retail II'}`);
        },
        onProgress: ({ rows, fraction }) => {
          if (fraction < 1 && performance.now() - reportedAt < 1000) return;
          reportedAt = performance.now();
          log(`  parsed ${fmt(rows)} rows (${Math.round(fraction * 100)}%)`);
        },
      })) {
        // One insert in flight while the next batch is parsed.
        const firstLineNo = report.rowsRead + 1;
        report.rowsRead += batch.length;
        await inFlight.settle();
        inFlight.start(staging.insert(batch, firstLineNo));
      }
      await inFlight.settle();
    });

    const summary = await summariseLines(client, staging.name);
    report.guestRowsSkipped = summary.guestRows;
    report.adjustmentRowsSkipped = summary.adjustmentRows;
    if (!summary.lastInvoiceLocal) {
      log('  the file has a header but no rows: nothing to import');
      return report;
    }

    const grouped = await timed('group invoices', () => groupInvoices(client, staging.name));
    temporary.push(grouped.invoices, grouped.customers);
    report.invoices = grouped.count;

    // The writes to real tables are one transaction: a failed import leaves no half-imported file.
    await client.query('BEGIN');
    try {
      const shift = await fixShift(client, { lastInvoiceLocal: summary.lastInvoiceLocal, now, file: name, rows: report.rowsRead });
      report.shift = { days: shift.days, fixedNow: shift.fixedNow, lastInvoiceAt: shift.lastInvoiceAt.toISOString() };
      log(`  time shift: +${fmt(shift.days)} days (${shift.fixedNow ? 'fixed now' : 'fixed by the first import'}); last invoice at ${report.shift.lastInvoiceAt}`);
      const profiles = await timed('profiles', () => upsertProfiles(client, grouped.customers, shift.seconds));
      report.profilesCreated = profiles.created;
      report.profilesUpdated = profiles.updated;
      report.eventsInserted = await timed('events', () => insertEvents(client, grouped.invoices, shift.seconds));
      report.eventsAlreadyPresent = grouped.count - report.eventsInserted.orders - report.eventsInserted.cancellations;
      report.metricsChanged = await timed('metrics', () => recomputeMetrics(client, profiles.profileIds));
      await audit(
        {
          actorId: options.actorId ?? null,
          action: 'import.run',
          entityType: 'dataset',
          entityId: SOURCE,
          details: {
            file: name,
            rows: report.rowsRead,
            profilesCreated: report.profilesCreated,
            profilesUpdated: report.profilesUpdated,
            eventsInserted: report.eventsInserted,
            metricsChanged: report.metricsChanged,
          },
        },
        client,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    return report;
  } finally {
    for (const table of temporary) await client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
    client.release();
  }
}

/** Lets one promise run while the caller works on; its failure surfaces at the next settle(). */
function oneInFlight() {
  let pending: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  return {
    start(work: Promise<void>) {
      pending = work.catch((error: unknown) => {
        failure = { error };
      });
    },
    async settle() {
      await pending;
      if (failure) throw failure.error;
    },
  };
}

/** The final report as lines for a terminal or a log. */
export function describeReport(r: ImportReport): string[] {
  const ms = Object.values(r.timings).reduce((a, b) => a + b, 0);
  return [
    `rows read: ${fmt(r.rowsRead)}`,
    `guest rows skipped (no customer id): ${fmt(r.guestRowsSkipped)}`,
    ...(r.adjustmentRowsSkipped ? [`bad-debt adjustment rows skipped: ${fmt(r.adjustmentRowsSkipped)}`] : []),
    `customer invoices: ${fmt(r.invoices)}`,
    `profiles: ${fmt(r.profilesCreated)} created, ${fmt(r.profilesUpdated)} updated`,
    `events: ${fmt(r.eventsInserted.orders)} orders and ${fmt(r.eventsInserted.cancellations)} cancellations inserted, ${fmt(r.eventsAlreadyPresent)} already present`,
    `metrics recomputed: ${fmt(r.metricsChanged)} profiles changed`,
    `took ${(ms / 1000).toFixed(1)} s`,
  ];
}
