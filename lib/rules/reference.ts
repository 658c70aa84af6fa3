import type { Comparator, TimeUnit } from './fields';
import type { Condition, DateValue, EventFilter, Group } from './parse';

/**
 * The reference evaluator: docs/rules.md applied to one in-memory profile, written for clarity,
 * not speed. The differential tests hold the SQL compiler to it; it is not used by the app.
 */
export interface ReferenceEvent {
  type: string;
  occurredAt: Date;
  /** In cents; null when the event has no revenue. */
  revenueCents?: number | null;
  /** The event's properties as JSON values. */
  properties?: Record<string, unknown>;
}

export interface ReferenceProfile {
  /** Built-in field name (as in lib/rules/fields.ts) to value; absent or null means missing. */
  values: Record<string, string | number | boolean | Date | null | undefined>;
  /** profiles.traits as parsed JSON. */
  traits?: Record<string, unknown>;
  events: ReferenceEvent[];
  /** Ids of the segments whose stored tags the profile carries. */
  segments?: number[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `timeZone`: the workspace zone, in which date-only values are whole days. */
export function matches(tree: Group, profile: ReferenceProfile, now: Date, timeZone = 'UTC'): boolean {
  const results = tree.rules.map((r) => (r.type === 'group' ? matches(r, profile, now, timeZone) : holds(r, profile, now, timeZone)));
  const combined = tree.combinator === 'and' ? results.every(Boolean) : results.some(Boolean);
  return tree.not ? !combined : combined;
}

/** Like matches, and reports each condition's result in depth-first order (for explain tests). */
export function conditionResults(tree: Group, profile: ReferenceProfile, now: Date, timeZone = 'UTC'): boolean[] {
  const results: boolean[] = [];
  const walk = (g: Group) => g.rules.forEach((r) => (r.type === 'group' ? walk(r) : results.push(holds(r, profile, now, timeZone))));
  walk(tree);
  return results;
}

function holds(c: Condition, profile: ReferenceProfile, now: Date, timeZone: string): boolean {
  if (c.field.type === 'event') return eventHolds(c, profile, now);
  if (c.field.type === 'segment') {
    if (c.value.kind !== 'segment') throw new Error('segment value expected');
    const member = (profile.segments ?? []).includes(c.value.segmentId);
    return c.operator.name === 'in' ? member : !member;
  }
  const { empty, value } = c.field.trait ? readTrait(profile.traits?.[c.field.trait], c.field.type, timeZone) : readColumn(profile.values[c.field.name], c.field.type);
  if (c.operator.name === 'null') return empty;
  if (c.operator.name === 'notNull') return !empty;
  if (value === null) return false; // a condition on a missing value, or a value of another type, is false
  switch (c.field.type) {
    case 'boolean':
      return c.operator.name === 'isTrue' ? value === true : value === false;
    case 'number':
      return numberHolds(c, value as number);
    case 'date':
      return dateHolds(c, value as number, now.getTime(), timeZone);
    default:
      return textHolds(c, value as string);
  }
}

type Read = { empty: boolean; value: string | number | boolean | null };

function readColumn(raw: ReferenceProfile['values'][string], type: string): Read {
  if (raw === null || raw === undefined || raw === '') return { empty: true, value: null };
  if (type === 'date') return { empty: false, value: (raw as Date).getTime() };
  if (type === 'number') return { empty: false, value: Number(raw) };
  return { empty: false, value: raw as string | boolean };
}

/** A trait's JSON value read as its registered type (docs/rules.md, "Custom traits"). */
export function readTrait(raw: unknown, type: string, timeZone: string): Read {
  const empty = raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0);
  switch (type) {
    case 'number':
      return { empty, value: jsonNumber(raw) };
    case 'boolean':
      return { empty, value: jsonBoolean(raw) };
    case 'date':
      return { empty, value: typeof raw === 'string' ? textInstant(raw, timeZone) : null };
    default:
      return { empty, value: jsonText(raw) };
  }
}

export function jsonText(raw: unknown): string | null {
  if (typeof raw === 'string') return raw === '' ? null : raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return null;
}

const NUMERIC_TEXT = /^-?[0-9]{1,15}(\.[0-9]{1,15})?$/;

export function jsonNumber(raw: unknown): number | null {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && NUMERIC_TEXT.test(raw)) return Number(raw);
  return null;
}

export function jsonBoolean(raw: unknown): boolean | null {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string') return null;
  const word = lowerLikePostgres(raw);
  return word === 'true' || word === 'yes' ? true : word === 'false' || word === 'no' ? false : null;
}

const INSTANT_TEXT = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,3}))?)?(Z|([+-])(0\d|1[0-5]):([0-5]\d)))?$/;

/** 'YYYY-MM-DD' is the start of that day in the zone; a time needs Z or an offset; anything else is no date. */
export function textInstant(s: string, timeZone: string): number | null {
  const m = INSTANT_TEXT.exec(s);
  if (!m || m[1] === '0000') return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (day > daysInMonth(year, month)) return null;
  if (m[4] === undefined) return wallToInstant(Date.UTC(year, month - 1, day), timeZone);
  const fraction = Number((m[7] ?? '0').padEnd(3, '0'));
  const wall = Date.UTC(year, month - 1, day, Number(m[4]), Number(m[5]), Number(m[6] ?? 0), fraction);
  const offset = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * HOUR + Number(m[11]) * MINUTE);
  return wall - offset;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function eventMatchesFilter(e: ReferenceEvent, f: EventFilter): boolean {
  if (f.on === 'revenue') {
    if (e.revenueCents === null || e.revenueCents === undefined) return false;
    return compare(e.revenueCents, f.operator, Math.round(f.value * 100));
  }
  const raw = e.properties?.[f.key];
  if (f.operator === '=' || f.operator === '!=' || f.operator === 'contains') {
    const text = jsonText(raw);
    if (text === null) return false;
    const [x, v] = [lowerLikePostgres(text), lowerLikePostgres(String(f.value))];
    return f.operator === 'contains' ? x.includes(v) : f.operator === '=' ? x === v : x !== v;
  }
  const n = jsonNumber(raw);
  return n !== null && compare(n, f.operator, f.value as number);
}

function compare(x: number, op: Comparator, v: number): boolean {
  switch (op) {
    case '=':
      return x === v;
    case '!=':
      return x !== v;
    case '<':
      return x < v;
    case '<=':
      return x <= v;
    case '>':
      return x > v;
    default:
      return x >= v;
  }
}

function eventHolds(c: Condition, profile: ReferenceProfile, now: Date): boolean {
  const v = c.value;
  if (v.kind !== 'event' && v.kind !== 'aggregate') throw new Error('event value expected');
  const from = v.days === null ? -Infinity : now.getTime() - v.days * DAY;
  const counted = profile.events.filter(
    (e) => e.type === c.field.eventType && e.occurredAt.getTime() <= now.getTime() && e.occurredAt.getTime() >= from && v.where.every((f) => eventMatchesFilter(e, f)),
  );
  if (v.kind === 'aggregate') {
    // In cents, so sums and averages compare exactly, as numeric does.
    const revenues = counted.map((e) => e.revenueCents).filter((r): r is number => r !== null && r !== undefined);
    const sum = revenues.reduce((a, b) => a + b, 0);
    const amount = Math.round(v.amount * 100);
    if (c.operator.name === 'revenueSum') return compare(sum, v.comparator, amount);
    return revenues.length > 0 && compare(sum, v.comparator, amount * revenues.length);
  }
  const count = counted.length;
  if (c.operator.name === 'atLeast') return count >= v.count;
  if (c.operator.name === 'atMost') return count <= v.count;
  return count === v.count;
}

function numberHolds(c: Condition, x: number): boolean {
  const v = c.value;
  if (v.kind === 'numberPair') return x >= v.low && x <= v.high;
  if (v.kind !== 'number') throw new Error('number value expected');
  return compare(x, c.operator.name as Comparator, v.value);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time (given as if it were UTC) has in the zone, as PostgreSQL's
 * `timestamp AT TIME ZONE zone` decides it: in a spring-forward gap the offset from before the
 * change applies, in a fall-back overlap the offset from after it.
 */
export function wallToInstant(wall: number, timeZone: string): number {
  const lo = wall - 50 * HOUR;
  const hi = wall + 50 * HOUR;
  const before = offsetAt(lo, timeZone);
  const after = offsetAt(hi, timeZone);
  if (before === after) return wall - before;
  // The change between: the first second with the new offset.
  let [a, b] = [lo, hi];
  while (b - a > 1000) {
    const mid = a + Math.floor((b - a) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === before) a = mid;
    else b = mid;
  }
  const boundary = b;
  const [beforeTime, afterTime] = [wall - before, wall - after];
  if (beforeTime < boundary && afterTime < boundary) return beforeTime;
  if (beforeTime >= boundary && afterTime >= boundary) return afterTime;
  return beforeTime > afterTime ? beforeTime : afterTime;
}

/** The instant a day begins in the zone, as PostgreSQL's `day::timestamp AT TIME ZONE zone` gives it. */
export function zonedDayStart(day: string, timeZone: string): number {
  return wallToInstant(Date.parse(`${day}T00:00:00.000Z`), timeZone);
}

/** The zone's calendar date of an instant, as 'YYYY-MM-DD' parts. */
export function zonedDate(ms: number, timeZone: string): { year: number; month: number; day: number } {
  const wall = new Date(ms + offsetAt(ms, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** `now` moved by whole months on the zone's wall clock, the day clamped to the month's end (as timestamp + interval). */
function shiftMonths(now: number, months: number, timeZone: string): number {
  const wall = new Date(now + offsetAt(now, timeZone));
  const index = wall.getUTCFullYear() * 12 + wall.getUTCMonth() + months;
  const [year, month] = [Math.floor(index / 12), (index % 12 + 12) % 12];
  const day = Math.min(wall.getUTCDate(), daysInMonth(year, month + 1));
  const shifted = Date.UTC(year, month, day, wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds());
  return wallToInstant(shifted, timeZone);
}

const UNIT_MS: Record<Exclude<TimeUnit, 'months'>, number> = { minutes: MINUTE, hours: HOUR, days: DAY, weeks: 7 * DAY };

/** `now` moved by a relative window's amount, as compile.ts's relativeShift does in SQL. */
export function shift(now: number, amount: number, unit: TimeUnit, timeZone: string): number {
  return unit === 'months' ? shiftMonths(now, amount, timeZone) : now + amount * UNIT_MS[unit];
}

/** Days until the next anniversary of a date (0 = today); 29 February is 28 February in other years. */
export function daysToAnniversary(d: { year: number; month: number; day: number }, today: { year: number; month: number; day: number }): number {
  const on = (year: number) => Date.UTC(year, d.month - 1, Math.min(d.day, daysInMonth(year, d.month)));
  const t = Date.UTC(today.year, today.month - 1, today.day);
  const next = on(today.year) >= t ? on(today.year) : on(today.year + 1);
  return Math.round((next - t) / DAY);
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY).toISOString().slice(0, 10);

function dateHolds(c: Condition, t: number, now: number, timeZone: string): boolean {
  const startOf = (d: DateValue) => (d.kind === 'day' ? zonedDayStart(d.day, timeZone) : Date.parse(d.iso));
  const endOf = (d: DateValue) => (d.kind === 'day' ? zonedDayStart(nextDay(d.day), timeZone) : Date.parse(d.iso) + 1);
  const v = c.value;
  if (v.kind === 'relative') {
    if (c.operator.name === 'inLast') return t >= shift(now, -v.amount, v.unit, timeZone) && t <= now;
    if (c.operator.name === 'moreThanAgo') return t < shift(now, -v.amount, v.unit, timeZone);
    return t >= now && t <= shift(now, v.amount, v.unit, timeZone);
  }
  if (v.kind === 'anniversary') return daysToAnniversary(zonedDate(t, timeZone), zonedDate(now, timeZone)) <= v.days;
  if (v.kind === 'datePair') return t >= startOf(v.low) && t < endOf(v.high);
  if (v.kind !== 'date') throw new Error('date value expected');
  if (c.operator.name === 'before') return t < startOf(v.value);
  if (c.operator.name === 'after') return t >= endOf(v.value);
  const day: DateValue = { kind: 'day', day: v.value.kind === 'day' ? v.value.day : v.value.iso.slice(0, 10) };
  return t >= startOf(day) && t < endOf(day);
}

/**
 * Case is ignored by mapping each code point to its lower case, one code point for one, as
 * PostgreSQL's lower() does under a UTF-8 ctype (so 'İ' becomes 'i', and a final 'Σ' stays 'σ').
 */
export function lowerLikePostgres(s: string): string {
  return Array.from(s, (ch) => Array.from(ch.toLowerCase())[0] ?? ch).join('');
}

function textHolds(c: Condition, raw: string): boolean {
  const fold = c.caseSensitive ? (s: string) => s : lowerLikePostgres;
  const x = fold(raw);
  const v = c.value;
  if (v.kind === 'textList') {
    const inList = v.values.some((value) => fold(value) === x);
    return c.operator.name === 'in' ? inList : !inList;
  }
  if (v.kind !== 'text') throw new Error('text value expected');
  const value = fold(v.value);
  switch (c.operator.name) {
    case '=':
      return x === value;
    case '!=':
      return x !== value;
    case 'contains':
      return x.includes(value);
    case 'doesNotContain':
      return !x.includes(value);
    case 'beginsWith':
      return x.startsWith(value);
    default:
      return x.endsWith(value);
  }
}
