import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool';
import { ImportError } from './format';

/**
 * The set-based half of the Online Retail import: staged lines -> invoices -> profiles and events.
 * Every statement works on the whole file at once. Decisions are explained in docs/import.md.
 */

/** Source of the time shift in `datasets`, and prefix of every event's dedupe key. */
export const SOURCE = 'online-retail';
/** The shop's clock: InvoiceDate is UK wall-clock time without a zone. */
export const SHOP_TIME_ZONE = 'Europe/London';

export interface StagedSummary {
  rows: number;
  guestRows: number;
  adjustmentRows: number;
  lastInvoiceLocal: string | null; // 'YYYY-MM-DD HH:MM:SS', over every row of the file
}

export async function summariseLines(client: Queryable, lines: string): Promise<StagedSummary> {
  const r = await client.query<StagedSummary>(
    `SELECT count(*)::int AS rows,
            count(*) FILTER (WHERE customer_id IS NULL)::int AS "guestRows",
            count(*) FILTER (WHERE customer_id IS NOT NULL AND upper(left(invoice_no, 1)) = 'A')::int AS "adjustmentRows",
            to_char(max(invoiced_local), 'YYYY-MM-DD HH24:MI:SS') AS "lastInvoiceLocal"
       FROM ${lines}`,
  );
  return r.rows[0]!;
}

/**
 * One row per customer invoice (guest lines and bad-debt adjustments left out), with its instant
 * before the shift. An invoice belongs to the customer and country of its first line (in both
 * files every invoice has exactly one of each).
 */
export async function groupInvoices(client: Queryable, lines: string): Promise<{ invoices: string; customers: string; count: number }> {
  const suffix = randomBytes(6).toString('hex');
  const invoices = `import_invoices_${suffix}`;
  const customers = `import_customers_${suffix}`;
  const made = await client.query(
    `CREATE TEMP TABLE ${invoices} AS
     SELECT invoice_no,
            upper(left(invoice_no, 1)) = 'C' AS cancelled,
            (array_agg(customer_id ORDER BY line_no))[1] AS customer_id,
            (array_agg(country ORDER BY line_no) FILTER (WHERE country IS NOT NULL))[1] AS country,
            min(invoiced_local) AT TIME ZONE '${SHOP_TIME_ZONE}' AS invoiced_at,
            max(line_no) AS last_line,
            round(sum(quantity * unit_price), 2) AS revenue,
            count(*)::int AS lines,
            sum(quantity)::bigint AS quantity
       FROM ${lines}
      WHERE customer_id IS NOT NULL AND upper(left(invoice_no, 1)) <> 'A'
      GROUP BY invoice_no`,
  );
  // A customer's country is the one on their most recent invoice (8 customers have two).
  await client.query(
    `CREATE TEMP TABLE ${customers} AS
     SELECT customer_id,
            min(invoiced_at) AS first_seen,
            max(invoiced_at) AS last_seen,
            (array_agg(country ORDER BY invoiced_at DESC, last_line DESC) FILTER (WHERE country IS NOT NULL))[1] AS country
       FROM ${invoices}
      GROUP BY customer_id`,
  );
  return { invoices, customers, count: made.rowCount ?? 0 };
}

export interface Shift {
  seconds: number;
  days: number;
  fixedNow: boolean;
  lastInvoiceAt: Date;
}

/**
 * The one offset added to every timestamp so that the file's last invoice lands yesterday (shop
 * time, same time of day). It is fixed by the first import and read back by every later one, so a
 * re-import on another day produces exactly the same timestamps.
 */
export async function fixShift(
  client: Queryable,
  input: { lastInvoiceLocal: string; now: Date; file: string; rows: number },
): Promise<Shift> {
  const inserted = await client.query<{ shift_seconds: number }>(
    `INSERT INTO datasets (source, shift_seconds, last_file, last_rows)
     VALUES ($1, ((($2::timestamptz AT TIME ZONE '${SHOP_TIME_ZONE}')::date - 1) - $3::timestamp::date)::bigint * 86400, $4, $5)
     ON CONFLICT (source) DO NOTHING
     RETURNING shift_seconds`,
    [SOURCE, input.now.toISOString(), input.lastInvoiceLocal, input.file, input.rows],
  );
  let seconds = inserted.rows[0]?.shift_seconds;
  const fixedNow = seconds !== undefined;
  if (seconds === undefined) {
    const updated = await client.query<{ shift_seconds: number }>(
      `UPDATE datasets SET last_file = $2, last_rows = $3, imported_at = now() WHERE source = $1 RETURNING shift_seconds`,
      [SOURCE, input.file, input.rows],
    );
    seconds = updated.rows[0]!.shift_seconds;
  }
  const last = await client.query<{ at: Date }>(
    `SELECT ($1::timestamp AT TIME ZONE '${SHOP_TIME_ZONE}') + $2::bigint * interval '1 second' AS at`,
    [input.lastInvoiceLocal, seconds],
  );
  const lastInvoiceAt = last.rows[0]!.at;
  if (lastInvoiceAt.getTime() > input.now.getTime()) {
    throw new ImportError(
      `The time shift fixed by an earlier import (${seconds / 86400} days) would put this file's last invoice in the future ` +
        `(${lastInvoiceAt.toISOString()}). Import the later file (Online Retail, 2010-2011) first, then the earlier one.`,
    );
  }
  return { seconds, days: seconds / 86400, fixedNow, lastInvoiceAt };
}

/** New customers become profiles; known ones get the earlier first-seen date and, if this file is their latest news, its country. */
export async function upsertProfiles(client: Queryable, customers: string, shiftSeconds: number) {
  const shifted = (col: string) => `(c.${col} + $1::bigint * interval '1 second')`;
  const updated = await client.query(
    `UPDATE profiles p
        SET country = n.country, created_at = n.created_at, updated_at = now()
       FROM (
         SELECT p2.id,
                CASE WHEN c.country IS NOT NULL AND (p2.last_activity_at IS NULL OR ${shifted('last_seen')} >= p2.last_activity_at)
                     THEN c.country ELSE p2.country END AS country,
                LEAST(p2.created_at, ${shifted('first_seen')}) AS created_at
           FROM profiles p2 JOIN ${customers} c ON c.customer_id = p2.external_id
       ) n
      WHERE p.id = n.id AND (p.country, p.created_at) IS DISTINCT FROM (n.country, n.created_at)`,
    [shiftSeconds],
  );
  const created = await client.query(
    `INSERT INTO profiles (external_id, country, created_at, updated_at)
     SELECT c.customer_id, c.country, ${shifted('first_seen')}, now()
       FROM ${customers} c
      ORDER BY c.first_seen, c.customer_id
     ON CONFLICT (external_id) DO NOTHING`,
    [shiftSeconds],
  );
  const ids = await client.query<{ ids: number[] | null }>(
    `SELECT array_agg(p.id) AS ids FROM profiles p JOIN ${customers} c ON c.customer_id = p.external_id`,
  );
  return { created: created.rowCount ?? 0, updated: updated.rowCount ?? 0, profileIds: ids.rows[0]?.ids ?? [] };
}

/** One event per invoice: `order`, or `order_cancelled` (negative revenue) for C invoices. Known invoices are left alone. */
export async function insertEvents(client: Queryable, invoices: string, shiftSeconds: number) {
  const r = await client.query<{ orders: number; cancellations: number }>(
    `WITH inserted AS (
       INSERT INTO events (profile_id, type, occurred_at, revenue, properties, dedupe_key)
       SELECT p.id,
              CASE WHEN i.cancelled THEN 'order_cancelled' ELSE 'order' END,
              i.invoiced_at + $1::bigint * interval '1 second',
              i.revenue,
              jsonb_build_object('invoiceNo', i.invoice_no, 'lines', i.lines, 'quantity', i.quantity),
              '${SOURCE}:' || i.invoice_no
         FROM ${invoices} i JOIN profiles p ON p.external_id = i.customer_id
        ORDER BY i.invoiced_at, i.invoice_no
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING type
     )
     SELECT count(*) FILTER (WHERE type = 'order')::int AS orders,
            count(*) FILTER (WHERE type = 'order_cancelled')::int AS cancellations
       FROM inserted`,
    [shiftSeconds],
  );
  return r.rows[0]!;
}
