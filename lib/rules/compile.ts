import type { Condition, DateValue, Group } from './parse';

/**
 * Compiles a parsed rule tree into a boolean SQL expression over the profile row `p`.
 *
 * The evaluation clock ("now", one instant per run) and the time zone of day boundaries are bound
 * once each, like the rule's own values; numbering starts after `paramOffset` placeholders the
 * caller uses itself. Only expressions from the field allow-list are spliced; every value is bound.
 *
 * Semantics (docs/rules.md): a condition on a missing value is false, except "is empty". Each
 * condition is therefore wrapped in COALESCE(..., false), which makes the tree two-valued, so NOT
 * is plain negation and never drops profiles through SQL's NULL logic.
 */
export interface CompiledRules {
  where: string;
  params: unknown[];
}

export function compileRules(tree: Group, now: Date, options: { timeZone?: string; paramOffset?: number } = {}): CompiledRules {
  const offset = options.paramOffset ?? 0;
  const params: unknown[] = [];
  const shared = new Map<string, string>();
  const bind: Bind = (value, cast, key) => {
    const known = key && shared.get(key);
    if (known) return known;
    params.push(value);
    const placeholder = `$${offset + params.length}::${cast}`;
    if (key) shared.set(key, placeholder);
    return placeholder;
  };
  bind.now = () => bind(now.toISOString(), 'timestamptz', 'now');
  bind.zone = () => bind(options.timeZone ?? 'UTC', 'text', 'zone');
  const where = compileGroup(tree, bind);
  return { where, params };
}

interface Bind {
  (value: unknown, cast: string, sharedKey?: string): string;
  now(): string;
  zone(): string;
}

function compileGroup(group: Group, bind: Bind): string {
  const parts = group.rules.map((r) => (r.type === 'group' ? compileGroup(r, bind) : compileCondition(r, bind)));
  const joined = parts.length === 1 ? parts[0]! : `(${parts.join(group.combinator === 'and' ? ' AND ' : ' OR ')})`;
  return group.not ? `(NOT ${joined})` : joined;
}

function compileCondition(c: Condition, bind: Bind): string {
  const expr = c.field.type === 'event' ? compileEvent(c, bind) : c.field.type === 'segment' ? compileSegment(c, bind) : compileAttribute(c, bind);
  return `COALESCE(${expr}, false)`;
}

/** Membership of another segment, as its stored tags say at this moment. */
function compileSegment(c: Condition, bind: Bind): string {
  if (c.value.kind !== 'segment') throw new Error('segment condition without a segment');
  const member = `EXISTS (SELECT 1 FROM segment_memberships sm WHERE sm.segment_id = ${bind(c.value.segmentId, 'int')} AND sm.profile_id = p.id)`;
  return c.operator.name === 'in' ? member : `NOT ${member}`;
}

function compileEvent(c: Condition, bind: Bind): string {
  if (c.value.kind !== 'event') throw new Error('event condition without an event value');
  // Rolling N × 24 hours (see compileDate).
  const window = c.value.days === null ? '' : ` AND e.occurred_at >= ${bind.now()} - make_interval(hours => 24 * ${bind(c.value.days, 'int')})`;
  const count = `(SELECT count(*) FROM events e WHERE e.profile_id = p.id AND e.type = ${bind(c.field.eventType, 'text')} AND e.occurred_at <= ${bind.now()}${window})`;
  const n = bind(c.value.count, 'int');
  switch (c.operator.name) {
    case 'atLeast':
      return `${count} >= ${n}`;
    case 'atMost':
      return `${count} <= ${n}`;
    default:
      return `${count} = ${n}`;
  }
}

function compileAttribute(c: Condition, bind: Bind): string {
  const col = c.field.sql!;
  const v = c.value;
  const op = c.operator.name;
  if (op === 'null') return c.field.type === 'text' ? `(${col} IS NULL OR ${col} = '')` : `${col} IS NULL`;
  if (op === 'notNull') return c.field.type === 'text' ? `(${col} IS NOT NULL AND ${col} <> '')` : `${col} IS NOT NULL`;

  switch (c.field.type) {
    case 'boolean':
      return op === 'isTrue' ? `${col} = true` : `${col} = false`;
    case 'number':
      return compileNumber(col, op, v, bind);
    case 'date':
      return compileDate(col, op, v, bind);
    default:
      // An empty string is "empty" like NULL, so it fails every comparison, as a missing value does.
      return compileText(`NULLIF(${col}, '')`, op, v, bind);
  }
}

/** Text comparisons ignore case; matching uses strpos/left/right so no LIKE pattern is ever built from input. */
function compileText(col: string, op: string, v: Condition['value'], bind: Bind): string {
  const lower = `lower(${col})`;
  if (v.kind === 'textList') {
    const list = `(SELECT lower(x) FROM unnest(${bind(v.values, 'text[]')}) AS x)`;
    return op === 'in' ? `${lower} IN ${list}` : `${lower} NOT IN ${list}`;
  }
  if (v.kind !== 'text') throw new Error('text condition without a text value');
  const value = `lower(${bind(v.value, 'text')})`;
  switch (op) {
    case '=':
      return `${lower} = ${value}`;
    case '!=':
      return `${lower} <> ${value}`;
    case 'contains':
      return `strpos(${lower}, ${value}) > 0`;
    case 'doesNotContain':
      return `strpos(${lower}, ${value}) = 0`;
    case 'beginsWith':
      return `left(${lower}, char_length(${value})) = ${value}`;
    default:
      return `right(${lower}, char_length(${value})) = ${value}`;
  }
}

const NUMBER_OPS: Record<string, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function compileNumber(col: string, op: string, v: Condition['value'], bind: Bind): string {
  if (v.kind === 'numberPair') return `${col} BETWEEN ${bind(v.low, 'numeric')} AND ${bind(v.high, 'numeric')}`;
  if (v.kind !== 'number') throw new Error('number condition without a number');
  return `${col} ${NUMBER_OPS[op]} ${bind(v.value, 'numeric')}`;
}

function compileDate(col: string, op: string, v: Condition['value'], bind: Bind): string {
  if (v.kind === 'days') {
    // Hours, not days: interval day arithmetic follows the session's time zone (DST), windows must not.
    const now = bind.now();
    const ago = `${now} - make_interval(hours => 24 * ${bind(v.days, 'int')})`;
    // Complementary for past values: exactly N days ago counts as "in the last N days".
    return op === 'inLastDays' ? `(${col} >= ${ago} AND ${col} <= ${now})` : `${col} < ${ago}`;
  }
  if (v.kind === 'datePair') return `(${col} >= ${startOf(v.low, bind)} AND ${col} < ${endOf(v.high, bind)})`;
  if (v.kind !== 'date') throw new Error('date condition without a date');
  switch (op) {
    case 'before':
      return `${col} < ${startOf(v.value, bind)}`;
    case 'after':
      return `${col} >= ${endOf(v.value, bind)}`;
    default: {
      const day: DateValue = { kind: 'day', day: v.value.kind === 'day' ? v.value.day : v.value.iso.slice(0, 10) };
      return `(${col} >= ${startOf(day, bind)} AND ${col} < ${endOf(day, bind)})`;
    }
  }
}

/** The first instant of a day in the workspace zone, or the instant itself. */
function startOf(d: DateValue, bind: Bind): string {
  return d.kind === 'day' ? `(${bind(d.day, 'date')}::timestamp AT TIME ZONE ${bind.zone()})` : bind(d.iso, 'timestamptz');
}

/** The first instant after a day (exclusive end), or just after the instant itself. */
function endOf(d: DateValue, bind: Bind): string {
  return d.kind === 'day'
    ? `((${bind(d.day, 'date')} + 1)::timestamp AT TIME ZONE ${bind.zone()})`
    : `(${bind(d.iso, 'timestamptz')} + interval '1 millisecond')`;
}
