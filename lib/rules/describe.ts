import { BUILT_IN_CATALOG, type FieldCatalog, type FieldDef, type TimeUnit } from './fields';
import { describeProblems, parseRules, type Condition, type DateValue, type EventFilter, type Group, type LeafValue } from './parse';

/**
 * Rules read back in plain words: "Customers who placed at least 2 orders in the last 90 days and
 * whose country is "Germany"". Built from the parsed tree, so it says what the compiler will
 * evaluate, not what was typed.
 */
export type RulesDescription = { ok: true; text: string } | { ok: false; message: string };

export interface DescribeOptions {
  /** Names of the segments that membership conditions refer to (else "segment #id"). */
  segmentNames?: ReadonlyMap<number, string>;
  catalog?: FieldCatalog;
}

export function describeRules(rules: unknown, options: DescribeOptions = {}): RulesDescription {
  const parsed = parseRules(rules, options.catalog ?? BUILT_IN_CATALOG);
  if (!parsed.ok) return { ok: false, message: describeProblems(parsed.problems) };
  return { ok: true, text: `Customers ${describeGroup(parsed.tree, options.segmentNames ?? new Map(), true)}` };
}

function describeGroup(group: Group, names: ReadonlyMap<number, string>, top = false): string {
  const parts = group.rules.map((r) => (r.type === 'group' ? describeGroup(r, names) : describeCondition(r, names)));
  const joined = parts.join(group.combinator === 'and' ? ' and ' : ' or ');
  if (group.not) return parts.length > 1 ? `other than those (${joined})` : `other than those ${joined}`;
  return !top && parts.length > 1 ? `(${joined})` : joined;
}

/** One condition as a relative clause: "who placed …", "whose country is …", "who are in segment …". */
export function describeCondition(c: Condition, names: ReadonlyMap<number, string> = new Map()): string {
  const { field, operator, value } = c;
  switch (value.kind) {
    case 'segment': {
      const name = names.get(value.segmentId);
      const segment = name === undefined ? `segment #${value.segmentId}` : `segment ${JSON.stringify(name)}`;
      return `who are ${operator.name === 'in' ? 'in' : 'not in'} ${segment}`;
    }
    case 'event':
      return `who ${eventPhrase(field, operator.label, value.count)}${filtersPhrase(value.where)} ${windowPhrase(value.days)}`;
    case 'aggregate': {
      const what = operator.name === 'revenueSum' ? 'total revenue' : 'average revenue';
      return `whose ${what} of ${field.many ?? 'events'} ${field.verb ?? ''}${filtersPhrase(value.where)} ${windowPhrase(value.days)} is ${comparatorWords(value.comparator)} ${value.amount}`.replace(/\s+/g, ' ');
    }
    default:
      return `whose ${subject(field)} ${predicate(c)}`;
  }
}

function eventPhrase(field: FieldDef, quantifier: string, count: number): string {
  const noun = count === 1 ? (field.one ?? 'event') : (field.many ?? 'events');
  const verb = field.verb ?? 'had';
  if (count === 0 && quantifier !== 'at least') return `${verb} no ${noun}`;
  return `${verb} ${quantifier} ${count} ${noun}`;
}

function windowPhrase(days: number | null): string {
  return days === null ? 'ever' : days === 1 ? 'in the last day' : `in the last ${days} days`;
}

function filtersPhrase(filters: EventFilter[]): string {
  if (filters.length === 0) return '';
  const words = filters.map((f) =>
    f.on === 'revenue' ? `revenue ${comparatorWords(f.operator)} ${f.value}` : `${f.key} ${f.operator === 'contains' ? 'containing' : comparatorWords(f.operator)} ${typeof f.value === 'string' ? JSON.stringify(f.value) : f.value}`,
  );
  return ` with ${words.join(' and ')}`;
}

const COMPARATOR_WORDS: Record<string, string> = { '=': 'equal to', '!=': 'not', '<': 'under', '<=': 'at most', '>': 'over', '>=': 'at least' };

function comparatorWords(op: string): string {
  return COMPARATOR_WORDS[op] ?? op;
}

/** "Number of orders" reads "number of orders" mid-sentence; "VIP" stays as it is. */
function subject(field: FieldDef): string {
  const label = field.label;
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

const UNIT_ONE: Record<TimeUnit, string> = { minutes: 'minute', hours: 'hour', days: 'day', weeks: 'week', months: 'month' };

function predicate(c: Condition): string {
  const { operator, value } = c;
  const cased = c.caseSensitive ? ' (matching case)' : '';
  switch (value.kind) {
    case 'none':
      return operator.label;
    case 'relative': {
      const span = value.amount === 1 ? UNIT_ONE[value.unit] : `${value.amount} ${value.unit}`;
      if (operator.name === 'inLast') return `is in the last ${span}`;
      if (operator.name === 'inNext') return `is in the next ${span}`;
      return `is more than ${span} ago`;
    }
    case 'anniversary':
      return value.days === 0 ? 'has its anniversary today' : `has its anniversary within the next ${value.days} ${value.days === 1 ? 'day' : 'days'}`;
    case 'number':
      return `${numberWords(operator.name)} ${value.value}`;
    default:
      return `${operator.label} ${formatValue(value)}${cased}`;
  }
}

function numberWords(op: string): string {
  return op === '=' ? 'is' : op === '!=' ? 'is not' : `is ${comparatorWords(op)}`;
}

function formatValue(v: LeafValue): string {
  switch (v.kind) {
    case 'text':
      return JSON.stringify(v.value);
    case 'textList':
      return v.values.map((x) => JSON.stringify(x)).join(', ');
    case 'numberPair':
      return `${v.low} and ${v.high}`;
    case 'date':
      return day(v.value);
    case 'datePair':
      return `${day(v.low)} and ${day(v.high)}`;
    default:
      return '';
  }
}

function day(d: DateValue): string {
  return d.kind === 'day' ? d.day : d.iso;
}
