import type { TrackingCall } from './calls';
import { normaliseEmail } from './email';

/**
 * How tracking calls become Tagwise data (docs/tracking.md, "Mapping").
 *
 * Events: track, page, screen and group calls become rows of `events`; identify and alias change
 * profiles only. Segment's e-commerce spec events are mapped onto the event types the metrics and
 * rules already know (docs/import.md), so a shop's checkout counts as an order:
 *   "Order Completed"                    -> order, revenue = properties.revenue ?? properties.total
 *   "Order Cancelled", "Order Refunded"  -> order_cancelled, revenue negative (as a cancelled invoice)
 *   any other event name                 -> that name as the type; revenue = properties.revenue when numeric
 *   page / screen / group                -> type page / screen / group
 */

export interface EventRow {
  type: string;
  /** Decimal text (rounded to cents by the column), or null. */
  revenue: string | null;
  properties: Record<string, unknown>;
  dedupeKey: string;
}

/** Events from the tracking API share one dedupe namespace, keyed by the spec's messageId. */
export const dedupeKeyOf = (messageId: string) => `msg:${messageId}`;

const ORDER_COMPLETED = 'Order Completed';
const ORDER_REVERSED = new Set(['Order Cancelled', 'Order Refunded']);
const MAX_REVENUE = 999_999_999_999.99; // events.revenue is numeric(14, 2)

/** A number or numeric text as a finite number; undefined when absent; NaN when it is something else. */
function amount(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return Number.NaN;
}

/** Decimal text of an amount; the numeric(14, 2) column rounds it to cents, exactly (1.005 -> 1.01, as binary floats cannot). */
const decimal = (n: number) => String(n);

/** Problems with a call's money fields: an order's revenue must be a number, within numeric(14, 2). */
export function revenueProblems(call: TrackingCall, at: string): string[] {
  if (call.type !== 'track') return [];
  const problems: string[] = [];
  for (const key of ['revenue', 'total'] as const) {
    const n = amount(call.properties[key]);
    const counts = key === 'revenue' || call.event === ORDER_COMPLETED || ORDER_REVERSED.has(call.event ?? '');
    if (!counts || n === undefined) continue;
    if (Number.isNaN(n)) problems.push(`${at}properties.${key} must be a number.`);
    else if (Math.abs(n) > MAX_REVENUE) problems.push(`${at}properties.${key} is out of range.`);
  }
  return problems;
}

/** The event a call stores, or null for identify and alias. Assumes revenueProblems(call) is empty. */
export function eventOf(call: TrackingCall): EventRow | null {
  const dedupeKey = dedupeKeyOf(call.messageId);
  switch (call.type) {
    case 'identify':
    case 'alias':
      return null;
    case 'page':
    case 'screen': {
      const properties: Record<string, unknown> = { ...call.properties };
      if (call.name !== null) properties.name ??= call.name;
      if (call.category !== null) properties.category ??= call.category;
      return { type: call.type, revenue: null, properties, dedupeKey };
    }
    case 'group':
      return { type: 'group', revenue: null, properties: { groupId: call.groupId, traits: call.traits ?? {} }, dedupeKey };
    case 'track': {
      const event = call.event!;
      const revenue = amount(call.properties.revenue);
      if (event === ORDER_COMPLETED) {
        const value = revenue ?? amount(call.properties.total);
        return { type: 'order', revenue: value === undefined ? null : decimal(value), properties: { ...call.properties, event }, dedupeKey };
      }
      if (ORDER_REVERSED.has(event)) {
        const value = revenue ?? amount(call.properties.total);
        return { type: 'order_cancelled', revenue: value === undefined ? null : decimal(-Math.abs(value)), properties: { ...call.properties, event }, dedupeKey };
      }
      return { type: event, revenue: revenue === undefined ? null : decimal(revenue), properties: call.properties, dedupeKey };
    }
  }
}

/** The profile columns the spec's well-known traits fill; a key absent from the traits is absent here. */
export interface ColumnPatch {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  country?: string | null;
  city?: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

export function columnsOf(traits: Record<string, unknown>): ColumnPatch {
  const patch: ColumnPatch = {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(traits, key);
  if (has('email')) patch.email = typeof traits.email === 'string' ? (normaliseEmail(traits.email) ?? null) : null;
  if (has('firstName') || has('first_name')) patch.firstName = str(traits.firstName ?? traits.first_name);
  if (has('lastName') || has('last_name')) patch.lastName = str(traits.lastName ?? traits.last_name);
  const address = typeof traits.address === 'object' && traits.address !== null ? (traits.address as Record<string, unknown>) : null;
  // The spec puts them in address; a flat country/city is common enough to honour too.
  if ((address && 'country' in address) || has('country')) patch.country = str(address?.country ?? traits.country);
  if ((address && 'city' in address) || has('city')) patch.city = str(address?.city ?? traits.city);
  return patch;
}
