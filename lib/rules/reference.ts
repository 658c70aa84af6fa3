import type { Condition, DateValue, Group } from './parse';

/**
 * The reference evaluator: docs/rules.md applied to one in-memory profile, written for clarity,
 * not speed. The differential tests hold the SQL compiler to it; it is not used by the app.
 */
export interface ReferenceEvent {
  type: string;
  occurredAt: Date;
}

export interface ReferenceProfile {
  /** Field name (as in lib/rules/fields.ts) to value; absent or null means missing. */
  values: Record<string, string | number | boolean | Date | null | undefined>;
  events: ReferenceEvent[];
  /** Ids of the segments whose stored tags the profile carries. */
  segments?: number[];
}

const HOUR = 3_600_000;

/** `timeZone`: the workspace zone, in which date-only values are whole days. */
export function matches(tree: Group, profile: ReferenceProfile, now: Date, timeZone = 'UTC'): boolean {
  const results = tree.rules.map((r) => (r.type === 'group' ? matches(r, profile, now, timeZone) : holds(r, profile, now, timeZone)));
  const combined = tree.combinator === 'and' ? results.every(Boolean) : results.some(Boolean);
  return tree.not ? !combined : combined;
}

function holds(c: Condition, profile: ReferenceProfile, now: Date, timeZone: string): boolean {
  if (c.field.type === 'event') return eventHolds(c, profile, now);
  if (c.field.type === 'segment') {
    if (c.value.kind !== 'segment') throw new Error('segment value expected');
    const member = (profile.segments ?? []).includes(c.value.segmentId);
    return c.operator.name === 'in' ? member : !member;
  }
  const raw = profile.values[c.field.name];
  const empty = raw === null || raw === undefined || raw === '';
  if (c.operator.name === 'null') return empty;
  if (c.operator.name === 'notNull') return !empty;
  if (empty) return false; // a condition on a missing value is false
  switch (c.field.type) {
    case 'boolean':
      return c.operator.name === 'isTrue' ? raw === true : raw === false;
    case 'number':
      return numberHolds(c, Number(raw));
    case 'date':
      return dateHolds(c, (raw as Date).getTime(), now.getTime(), timeZone);
    default:
      return textHolds(c, String(raw));
  }
}

function eventHolds(c: Condition, profile: ReferenceProfile, now: Date): boolean {
  if (c.value.kind !== 'event') throw new Error('event value expected');
  const { count: n, days } = c.value;
  const from = days === null ? -Infinity : now.getTime() - days * 24 * HOUR;
  const count = profile.events.filter((e) => e.type === c.field.eventType && e.occurredAt.getTime() <= now.getTime() && e.occurredAt.getTime() >= from).length;
  if (c.operator.name === 'atLeast') return count >= n;
  if (c.operator.name === 'atMost') return count <= n;
  return count === n;
}

function numberHolds(c: Condition, x: number): boolean {
  const v = c.value;
  if (v.kind === 'numberPair') return x >= v.low && x <= v.high;
  if (v.kind !== 'number') throw new Error('number value expected');
  switch (c.operator.name) {
    case '=':
      return x === v.value;
    case '!=':
      return x !== v.value;
    case '<':
      return x < v.value;
    case '<=':
      return x <= v.value;
    case '>':
      return x > v.value;
    default:
      return x >= v.value;
  }
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant a day begins in the zone, as PostgreSQL's `day::timestamp AT TIME ZONE zone` gives it. */
export function zonedDayStart(day: string, timeZone: string): number {
  const wall = Date.parse(`${day}T00:00:00.000Z`);
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone); // the offset at the true instant, across a DST change
  return t;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 24 * HOUR).toISOString().slice(0, 10);

function dateHolds(c: Condition, t: number, now: number, timeZone: string): boolean {
  const startOf = (d: DateValue) => (d.kind === 'day' ? zonedDayStart(d.day, timeZone) : Date.parse(d.iso));
  const endOf = (d: DateValue) => (d.kind === 'day' ? zonedDayStart(nextDay(d.day), timeZone) : Date.parse(d.iso) + 1);
  const v = c.value;
  if (v.kind === 'days') {
    const ago = now - v.days * 24 * HOUR;
    return c.operator.name === 'inLastDays' ? t >= ago && t <= now : t < ago;
  }
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
  const x = lowerLikePostgres(raw);
  const v = c.value;
  if (v.kind === 'textList') {
    const inList = v.values.some((value) => lowerLikePostgres(value) === x);
    return c.operator.name === 'in' ? inList : !inList;
  }
  if (v.kind !== 'text') throw new Error('text value expected');
  const value = lowerLikePostgres(v.value);
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
