/**
 * Timestamps of tracking calls (docs/tracking.md, "Timestamps").
 *
 * A call may carry `timestamp`, `originalTimestamp` (both: when it happened, by the client's clock) and
 * `sentAt` (when the client sent it, by the same clock); the server adds `receivedAt`. The client's clock
 * may be wrong, but the error is the same in both of its readings, so the span sentAt − original is
 * right, and the event happened that long before we received it:
 *
 *   timestamp = receivedAt − (sentAt − (timestamp ?? originalTimestamp))   when sentAt is given
 *   timestamp = timestamp ?? originalTimestamp                              otherwise
 *   timestamp = receivedAt                                                   when the call has neither
 *
 * `timestamp` comes first: Segment's clients send the time of the call there; RudderStack's put their
 * own clock in originalTimestamp and a time the application gave (a historical import) in timestamp,
 * which must win. Both are read on the client's clock, so the same correction applies.
 */

// ISO 8601 as the specs' clients write it: a date, or a date and time with an optional zone (UTC when absent).
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** The instant an ISO 8601 string names, or null when it is not one (wrong shape or a day that does not exist). */
export function parseInstant(value: string): Date | null {
  const m = ISO_INSTANT.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null; // 2025-02-30
  const ms = Number((frac + '000').slice(0, 3));
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2)), om = Number(digits.slice(2, 4) || '0');
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface CallClock {
  timestamp?: Date | null;
  originalTimestamp?: Date | null;
  sentAt?: Date | null;
}

/** When the call happened, corrected for the client's clock skew (see the top of this file). */
export function reconcileTimestamp(clock: CallClock, receivedAt: Date): Date {
  const happened = clock.timestamp ?? clock.originalTimestamp ?? null;
  if (!happened) return receivedAt;
  if (!clock.sentAt) return happened;
  return new Date(receivedAt.getTime() - (clock.sentAt.getTime() - happened.getTime()));
}
