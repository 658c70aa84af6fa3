import type { Comparator, FieldDef, TimeUnit } from './fields';
import type { Condition, DateValue, EventFilter, Group } from './parse';

/**
 * Compiles a parsed rule tree into a boolean SQL expression over the profile row `p`.
 *
 * The evaluation clock ("now", one instant per run) and the time zone of day boundaries are bound
 * once each, like the rule's own values; numbering starts after `paramOffset` placeholders the
 * caller uses itself. Only expressions from the field allow-list and the tagwise_json_* functions
 * (migration trait_definitions) are spliced; every value, trait key and property name is bound.
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
  const bind = createBinder(now, options);
  const where = compileGroup(tree, bind);
  return { where, params: bind.params };
}

/**
 * Each condition of the tree as its own boolean expression, with the profile's value that it
 * looked at (as text: the column, the trait's JSON, the event count or revenue), for explaining
 * one profile's membership. In the tree's depth-first order, as lib/rules/explain.ts walks it.
 */
export function compileConditions(tree: Group, now: Date, options: { timeZone?: string; paramOffset?: number } = {}): { conditions: { holds: string; observed: string | null }[]; params: unknown[] } {
  const bind = createBinder(now, options);
  const conditions: { holds: string; observed: string | null }[] = [];
  const walk = (g: Group) => g.rules.forEach((r) => (r.type === 'group' ? walk(r) : conditions.push({ holds: compileCondition(r, bind), observed: observedSql(r, bind) })));
  walk(tree);
  return { conditions, params: bind.params };
}

function observedSql(c: Condition, bind: Bind): string | null {
  if (c.field.type === 'segment') return null;
  if (c.field.type === 'event') {
    const v = c.value;
    if (v.kind !== 'event' && v.kind !== 'aggregate') return null;
    const from = eventSource(c, v.days, v.where, bind);
    if (v.kind === 'event') return `(SELECT count(*) ${from})::text`;
    return c.operator.name === 'revenueSum' ? `(SELECT COALESCE(sum(e.revenue), 0) ${from})::text` : `(SELECT round(avg(e.revenue), 2) ${from})::text`;
  }
  if (c.field.trait) return `(p.traits -> ${bind(c.field.trait, 'text', `trait:${c.field.trait}`)})::text`;
  return `(${valueSql(c.field, bind)})::text`;
}

interface Bind {
  (value: unknown, cast: string, sharedKey?: string): string;
  now(): string;
  zone(): string;
  params: unknown[];
}

function createBinder(now: Date, options: { timeZone?: string; paramOffset?: number }): Bind {
  const offset = options.paramOffset ?? 0;
  const params: unknown[] = [];
  const shared = new Map<string, string>();
  const bind = ((value: unknown, cast: string, key?: string) => {
    const known = key && shared.get(key);
    if (known) return known;
    params.push(value);
    const placeholder = `$${offset + params.length}::${cast}`;
    if (key) shared.set(key, placeholder);
    return placeholder;
  }) as Bind;
  bind.now = () => bind(now.toISOString(), 'timestamptz', 'now');
  bind.zone = () => bind(options.timeZone ?? 'UTC', 'text', 'zone');
  bind.params = params;
  return bind;
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

const COMPARE: Record<Comparator, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function compileEvent(c: Condition, bind: Bind): string {
  const v = c.value;
  if (v.kind !== 'event' && v.kind !== 'aggregate') throw new Error('event condition without an event value');
  const from = eventSource(c, v.days, v.where, bind);
  if (v.kind === 'aggregate') {
    const amount = bind(v.amount, 'numeric');
    const cmp = COMPARE[v.comparator];
    // A sum over no events is 0; an average over none does not exist, so it compares false.
    // The average compares sum with amount × count: exact, where sum / count would be rounded.
    return c.operator.name === 'revenueSum'
      ? `(SELECT COALESCE(sum(e.revenue), 0) ${from}) ${cmp} ${amount}`
      : `(SELECT CASE WHEN count(e.revenue) > 0 THEN sum(e.revenue) ${cmp} ${amount} * count(e.revenue) END ${from})`;
  }
  const count = `(SELECT count(*) ${from})`;
  const n = bind(v.count, 'int');
  switch (c.operator.name) {
    case 'atLeast':
      return `${count} >= ${n}`;
    case 'atMost':
      return `${count} <= ${n}`;
    default:
      return `${count} = ${n}`;
  }
}

/** FROM and WHERE of the profile's events an event condition looks at. */
function eventSource(c: Condition, days: number | null, where: EventFilter[], bind: Bind): string {
  const now = bind.now();
  // Rolling N × 24 hours (see relativeShift).
  const window = days === null ? '' : ` AND e.occurred_at >= ${now} - make_interval(hours => 24 * ${bind(days, 'int')})`;
  const filters = where.map((f) => ` AND ${compileEventFilter(f, bind)}`).join('');
  return `FROM events e WHERE e.profile_id = p.id AND e.type = ${bind(c.field.eventType, 'text')} AND e.occurred_at <= ${now}${window}${filters}`;
}

/** A missing revenue or property fails every filter, "is not" included, as an empty value does. */
function compileEventFilter(f: EventFilter, bind: Bind): string {
  if (f.on === 'revenue') return `e.revenue ${COMPARE[f.operator]} ${bind(f.value, 'numeric')}`;
  const json = `e.properties -> ${bind(f.key, 'text')}`;
  if (f.operator === '=' || f.operator === '!=' || f.operator === 'contains') {
    const text = `lower(tagwise_json_text(${json}))`;
    const value = `lower(${bind(String(f.value), 'text')})`;
    if (f.operator === 'contains') return `strpos(${text}, ${value}) > 0`;
    return `${text} ${f.operator === '=' ? '=' : '<>'} ${value}`;
  }
  return `tagwise_json_number(${json}) ${COMPARE[f.operator]} ${bind(f.value, 'numeric')}`;
}

/** The field's value as SQL: a column expression, or a typed read of a custom trait. */
function valueSql(field: FieldDef, bind: Bind): string {
  if (field.sql) return field.sql;
  if (!field.trait) throw new Error(`field ${field.name} has no SQL`);
  const json = `p.traits -> ${bind(field.trait, 'text', `trait:${field.trait}`)}`;
  switch (field.type) {
    case 'number':
      return `tagwise_json_number(${json})`;
    case 'boolean':
      return `tagwise_json_boolean(${json})`;
    case 'date':
      return `tagwise_json_instant(${json}, ${bind.zone()})`;
    default:
      return `tagwise_json_text(${json})`;
  }
}

/** Empty: missing (NULL), or '' for text columns; for traits also JSON null, "" and [] (a value of another type is not empty). */
function emptySql(field: FieldDef, bind: Bind): string {
  if (field.trait) return `tagwise_json_is_empty(p.traits -> ${bind(field.trait, 'text', `trait:${field.trait}`)})`;
  const col = valueSql(field, bind);
  return field.type === 'text' ? `(${col} IS NULL OR ${col} = '')` : `${col} IS NULL`;
}

function compileAttribute(c: Condition, bind: Bind): string {
  const v = c.value;
  const op = c.operator.name;
  if (op === 'null' || op === 'notNull') {
    const empty = emptySql(c.field, bind);
    return op === 'null' ? empty : `NOT ${empty}`;
  }
  const col = valueSql(c.field, bind);

  switch (c.field.type) {
    case 'boolean':
      return op === 'isTrue' ? `${col} = true` : `${col} = false`;
    case 'number':
      return compileNumber(col, op, v, bind);
    case 'date':
      return compileDate(col, op, v, bind);
    default:
      // An empty string is "empty" like NULL, so it fails every comparison, as a missing value does.
      return compileText(`NULLIF(${col}, '')`, op, v, bind, c.caseSensitive);
  }
}

/** Text comparisons ignore case unless asked not to; matching uses strpos/left/right so no LIKE pattern is ever built from input. */
function compileText(col: string, op: string, v: Condition['value'], bind: Bind, caseSensitive: boolean): string {
  const fold = (sql: string) => (caseSensitive ? sql : `lower(${sql})`);
  const x = fold(col);
  if (v.kind === 'textList') {
    const list = `(SELECT ${fold('x')} FROM unnest(${bind(v.values, 'text[]')}) AS x)`;
    return op === 'in' ? `${x} IN ${list}` : `${x} NOT IN ${list}`;
  }
  if (v.kind !== 'text') throw new Error('text condition without a text value');
  const value = fold(bind(v.value, 'text'));
  switch (op) {
    case '=':
      return `${x} = ${value}`;
    case '!=':
      return `${x} <> ${value}`;
    case 'contains':
      return `strpos(${x}, ${value}) > 0`;
    case 'doesNotContain':
      return `strpos(${x}, ${value}) = 0`;
    case 'beginsWith':
      return `left(${x}, char_length(${value})) = ${value}`;
    default:
      return `right(${x}, char_length(${value})) = ${value}`;
  }
}

function compileNumber(col: string, op: string, v: Condition['value'], bind: Bind): string {
  if (v.kind === 'numberPair') return `${col} BETWEEN ${bind(v.low, 'numeric')} AND ${bind(v.high, 'numeric')}`;
  if (v.kind !== 'number') throw new Error('number condition without a number');
  return `${col} ${COMPARE[op as Comparator]} ${bind(v.value, 'numeric')}`;
}

/**
 * `now` moved by `amount` units. Minutes to weeks are fixed lengths (a day is 24 hours, whatever the
 * session's zone or DST); months are calendar months of the workspace zone's wall clock.
 */
function relativeShift(sign: 1 | -1, amount: number, unit: TimeUnit, bind: Bind): string {
  const now = bind.now();
  const n = bind(sign * amount, 'int');
  switch (unit) {
    case 'minutes':
      return `(${now} + make_interval(mins => ${n}))`;
    case 'hours':
      return `(${now} + make_interval(hours => ${n}))`;
    case 'days':
      return `(${now} + make_interval(hours => 24 * ${n}))`;
    case 'weeks':
      return `(${now} + make_interval(hours => 168 * ${n}))`;
    case 'months':
      return `(((${now} AT TIME ZONE ${bind.zone()}) + make_interval(months => ${n})) AT TIME ZONE ${bind.zone()})`;
  }
}

function compileDate(col: string, op: string, v: Condition['value'], bind: Bind): string {
  if (v.kind === 'relative') {
    const now = bind.now();
    switch (op) {
      case 'inLast': // complementary to "more than … ago" for past values: exactly N ago counts as in the last N
        return `(${col} >= ${relativeShift(-1, v.amount, v.unit, bind)} AND ${col} <= ${now})`;
      case 'moreThanAgo':
        return `${col} < ${relativeShift(-1, v.amount, v.unit, bind)}`;
      default:
        return `(${col} >= ${now} AND ${col} <= ${relativeShift(1, v.amount, v.unit, bind)})`;
    }
  }
  if (v.kind === 'anniversary') {
    const zone = bind.zone();
    return `tagwise_days_to_anniversary((${col} AT TIME ZONE ${zone})::date, (${bind.now()} AT TIME ZONE ${zone})::date) <= ${bind(v.days, 'int')}`;
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
