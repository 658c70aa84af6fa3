import { z } from 'zod';
import {
  BUILT_IN_CATALOG,
  CASE_SENSITIVE_CAPABLE,
  COMPARATORS,
  TIME_UNITS,
  findOperator,
  type Comparator,
  type FieldCatalog,
  type FieldDef,
  type OperatorDef,
  type TimeUnit,
} from './fields';

/**
 * Rules arrive as react-querybuilder's JSON (a group of rules and groups, with optional `not`).
 * parseRules checks the shape, the allow-listed fields and operators and every value, and returns
 * either a normalised tree the compiler trusts, or every problem with where it is.
 */
export const MAX_DEPTH = 8;
export const MAX_CONDITIONS = 200;
export const MAX_TEXT_LENGTH = 500;
export const MAX_LIST_LENGTH = 1000;
export const MAX_DAYS = 36_600;
/** The longest relative window per unit: about a hundred years. */
export const MAX_AMOUNT: Record<TimeUnit, number> = { minutes: 1_000_000, hours: 1_000_000, days: MAX_DAYS, weeks: 5_230, months: 1_200 };
export const MAX_ANNIVERSARY_DAYS = 366;
export const MAX_EVENT_FILTERS = 5;
export const MAX_PROPERTY_KEY_LENGTH = 100;

const ruleSchema = z.object({ field: z.string(), operator: z.string(), value: z.unknown().optional(), caseSensitive: z.boolean().optional() });
type RawGroup = { combinator: string; not?: boolean; rules: unknown[] };
const groupSchema: z.ZodType<RawGroup> = z.object({
  combinator: z.string(),
  not: z.boolean().optional(),
  rules: z.array(z.unknown()),
});

export type DateValue = { kind: 'day'; day: string } | { kind: 'instant'; iso: string };
export type LeafValue =
  | { kind: 'none' }
  | { kind: 'text'; value: string }
  | { kind: 'textList'; values: string[] }
  | { kind: 'number'; value: number }
  | { kind: 'numberPair'; low: number; high: number }
  | { kind: 'date'; value: DateValue }
  | { kind: 'datePair'; low: DateValue; high: DateValue }
  | { kind: 'relative'; amount: number; unit: TimeUnit }
  | { kind: 'anniversary'; days: number }
  | { kind: 'event'; count: number; days: number | null; where: EventFilter[] }
  | { kind: 'aggregate'; comparator: Comparator; amount: number; days: number | null; where: EventFilter[] }
  | { kind: 'segment'; segmentId: number };

/** A condition on the events an event condition counts: their revenue, or one of their properties. */
export type EventFilter =
  | { on: 'revenue'; operator: Comparator; value: number }
  | { on: 'property'; key: string; operator: PropertyOperator; value: string | number };

/** Text equality and containment (case-insensitive) on the property's text, or a numeric comparison. */
export const PROPERTY_OPERATORS = ['=', '!=', 'contains', '<', '<=', '>', '>='] as const;
export type PropertyOperator = (typeof PROPERTY_OPERATORS)[number];

export interface Condition {
  type: 'condition';
  field: FieldDef;
  operator: OperatorDef;
  value: LeafValue;
  /** Text comparisons only: match case exactly instead of ignoring it. */
  caseSensitive: boolean;
}
export interface Group {
  type: 'group';
  combinator: 'and' | 'or';
  not: boolean;
  rules: (Condition | Group)[];
}

export interface RuleProblem {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; tree: Group } | { ok: false; problems: RuleProblem[] };

/** `catalog`: the fields rules may use, with the registered custom traits (lib/rules/catalog.ts). */
export function parseRules(input: unknown, catalog: FieldCatalog = BUILT_IN_CATALOG): ParseResult {
  const problems: RuleProblem[] = [];
  let conditions = 0;

  function group(raw: unknown, path: string, depth: number): Group | null {
    const parsed = groupSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push({ path, message: 'is not a rule group (expected combinator and rules)' });
      return null;
    }
    const g = parsed.data;
    if (depth > MAX_DEPTH) {
      problems.push({ path, message: `groups may be nested at most ${MAX_DEPTH} deep` });
      return null;
    }
    const combinator = g.combinator.toLowerCase();
    if (combinator !== 'and' && combinator !== 'or') {
      problems.push({ path, message: `combinator must be "and" or "or", not "${truncate(g.combinator)}"` });
    }
    if (g.rules.length === 0) {
      problems.push({ path, message: depth === 0 ? 'add at least one condition' : 'this group has no conditions' });
    }
    const rules: (Condition | Group)[] = [];
    g.rules.forEach((child, i) => {
      const childPath = `${path}.rules[${i}]`;
      const isGroup = typeof child === 'object' && child !== null && 'rules' in child;
      const node = isGroup ? group(child, childPath, depth + 1) : condition(child, childPath);
      if (node) rules.push(node);
    });
    return { type: 'group', combinator: combinator === 'or' ? 'or' : 'and', not: g.not === true, rules };
  }

  function condition(raw: unknown, path: string): Condition | null {
    conditions += 1;
    if (conditions === MAX_CONDITIONS + 1) problems.push({ path, message: `a rule set may have at most ${MAX_CONDITIONS} conditions` });
    const parsed = ruleSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push({ path, message: 'is not a condition (expected field, operator and value)' });
      return null;
    }
    const { field: fieldName, operator: operatorName, value } = parsed.data;
    const field = catalog.find(fieldName);
    if (!field) {
      problems.push({ path, message: `unknown field "${truncate(fieldName)}"` });
      return null;
    }
    const operator = findOperator(field.type, operatorName);
    if (!operator) {
      problems.push({ path, message: `${field.label}: operator "${truncate(operatorName)}" does not apply to this field` });
      return null;
    }
    const normalised = normaliseValue(field, operator, value);
    if (typeof normalised === 'string') {
      problems.push({ path, message: `${field.label} ${operator.label}: ${normalised}` });
      return null;
    }
    const caseSensitive = parsed.data.caseSensitive === true;
    if (caseSensitive && !(field.type === 'text' && CASE_SENSITIVE_CAPABLE.has(operator.name))) {
      problems.push({ path, message: `${field.label} ${operator.label}: only text comparisons can be case-sensitive` });
      return null;
    }
    return { type: 'condition', field, operator, value: normalised, caseSensitive };
  }

  const tree = group(input, 'rules', 0);
  if (!tree || problems.length > 0) return { ok: false, problems };
  return { ok: true, tree };
}

/** A one-line summary of problems for messages shown to people. */
export function describeProblems(problems: RuleProblem[]): string {
  return problems.map((p) => p.message).join('; ');
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Returns the normalised value, or a message saying what is wrong with it. */
function normaliseValue(field: FieldDef, operator: OperatorDef, value: unknown): LeafValue | string {
  switch (operator.arity) {
    case 'none':
      return { kind: 'none' };
    case 'relative':
      return normaliseRelative(value);
    case 'anniversary': {
      const raw = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { days?: unknown }).days : value;
      const days = toInteger(raw);
      if (days === null || days < 0 || days > MAX_ANNIVERSARY_DAYS) return `needs a whole number of days between 0 (today) and ${MAX_ANNIVERSARY_DAYS}`;
      return { kind: 'anniversary', days };
    }
    case 'event':
      return normaliseEventValue(value);
    case 'aggregate':
      return normaliseAggregate(value);
    case 'segment': {
      const id = toInteger(value);
      return id !== null && id > 0 && id <= 2_147_483_647 ? { kind: 'segment', segmentId: id } : 'needs a segment';
    }
    case 'one':
      if (field.type === 'number') {
        const n = toNumber(value);
        return n === null ? 'needs a number' : { kind: 'number', value: n };
      }
      if (field.type === 'date') {
        const d = toDate(value);
        return d ? { kind: 'date', value: d } : 'needs a date (YYYY-MM-DD)';
      }
      return normaliseText(value);
    case 'pair': {
      const pair = toList(value);
      if (!pair || pair.length !== 2) return 'needs two values';
      if (field.type === 'number') {
        const [low, high] = pair.map(toNumber);
        if (low == null || high == null) return 'needs two numbers';
        if (low > high) return 'the first number must not be greater than the second';
        return { kind: 'numberPair', low, high };
      }
      const [low, high] = pair.map(toDate);
      if (!low || !high) return 'needs two dates (YYYY-MM-DD)';
      if (dateSortKey(low) > dateSortKey(high)) return 'the first date must not be after the second';
      return { kind: 'datePair', low, high };
    }
    case 'list': {
      const list = toList(value)?.map((v) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : null));
      if (!list || list.some((v) => v === null)) return 'needs a list of values';
      const values = [...new Set(list.filter((v): v is string => v !== null && v !== ''))];
      if (values.length === 0) return 'needs at least one value';
      if (values.length > MAX_LIST_LENGTH) return `takes at most ${MAX_LIST_LENGTH} values`;
      if (values.some((v) => v.length > MAX_TEXT_LENGTH)) return `values may be at most ${MAX_TEXT_LENGTH} characters`;
      return { kind: 'textList', values };
    }
  }
}

function normaliseText(value: unknown): LeafValue | string {
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string' || value.length === 0) return 'needs a value';
  if (value.length > MAX_TEXT_LENGTH) return `the value may be at most ${MAX_TEXT_LENGTH} characters`;
  if (value.includes('\u0000')) return 'the value contains a NUL character';
  return { kind: 'text', value };
}

/** A plain number is a number of days, as rules of the first version wrote it. */
function normaliseRelative(value: unknown): LeafValue | string {
  const v = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { amount?: unknown; unit?: unknown }) : { amount: value, unit: 'days' };
  const unit = TIME_UNITS.find((u) => u === v.unit);
  if (!unit) return `needs a unit: ${TIME_UNITS.join(', ')}`;
  const amount = toInteger(v.amount);
  if (amount === null || amount < 1 || amount > MAX_AMOUNT[unit]) return `needs a whole number of ${unit} between 1 and ${MAX_AMOUNT[unit]}`;
  return { kind: 'relative', amount, unit };
}

type EventShape = { count?: unknown; days?: unknown; where?: unknown; comparator?: unknown; amount?: unknown };

function normaliseWindow(v: EventShape): number | null | string {
  if (v.days === null || v.days === undefined || v.days === '') return null;
  const days = toInteger(v.days);
  if (days === null || days < 1 || days > MAX_DAYS) return `the window must be between 1 and ${MAX_DAYS} days, or empty for "ever"`;
  return days;
}

function normaliseEventValue(value: unknown): LeafValue | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'needs a count and a window';
  const v = value as EventShape;
  const count = toInteger(v.count);
  if (count === null || count < 0 || count > 1_000_000) return 'needs a whole number of times, 0 or more';
  const days = normaliseWindow(v);
  if (typeof days === 'string') return days;
  const where = normaliseFilters(v.where);
  if (typeof where === 'string') return where;
  return { kind: 'event', count, days, where };
}

function normaliseAggregate(value: unknown): LeafValue | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'needs a comparison, an amount and a window';
  const v = value as EventShape;
  const comparator = COMPARATORS.find((c) => c === v.comparator);
  if (!comparator) return `needs a comparison: ${COMPARATORS.join(' ')}`;
  const amount = toMoney(v.amount);
  if (amount === null) return 'needs an amount with at most 2 decimals';
  const days = normaliseWindow(v);
  if (typeof days === 'string') return days;
  const where = normaliseFilters(v.where);
  if (typeof where === 'string') return where;
  return { kind: 'aggregate', comparator, amount, days, where };
}

function normaliseFilters(raw: unknown): EventFilter[] | string {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return 'the event conditions must be a list';
  if (raw.length > MAX_EVENT_FILTERS) return `takes at most ${MAX_EVENT_FILTERS} conditions on the events`;
  const filters: EventFilter[] = [];
  for (const [i, f] of raw.entries()) {
    const where = `event condition ${i + 1}`;
    if (typeof f !== 'object' || f === null) return `${where} is not a condition`;
    const { on, key, operator, value } = f as { on?: unknown; key?: unknown; operator?: unknown; value?: unknown };
    if (on === 'revenue') {
      const comparator = COMPARATORS.find((c) => c === operator);
      if (!comparator) return `${where}: revenue needs a comparison (${COMPARATORS.join(' ')})`;
      const amount = toMoney(value);
      if (amount === null) return `${where}: revenue needs an amount with at most 2 decimals`;
      filters.push({ on: 'revenue', operator: comparator, value: amount });
      continue;
    }
    if (on !== 'property') return `${where} must be on "revenue" or on a "property"`;
    if (typeof key !== 'string' || key.trim() === '' || key.length > MAX_PROPERTY_KEY_LENGTH || key.includes('\u0000')) {
      return `${where}: needs a property name of at most ${MAX_PROPERTY_KEY_LENGTH} characters`;
    }
    const op = PROPERTY_OPERATORS.find((o) => o === operator);
    if (!op) return `${where}: the operator must be one of ${PROPERTY_OPERATORS.join(' ')}`;
    if (op === '=' || op === '!=' || op === 'contains') {
      const text = normaliseText(value);
      if (typeof text === 'string' || text.kind !== 'text') return `${where}: ${typeof text === 'string' ? text : 'needs a value'}`;
      filters.push({ on: 'property', key: key.trim(), operator: op, value: text.value });
    } else {
      const n = toNumber(value);
      if (n === null) return `${where}: ${op} needs a number`;
      filters.push({ on: 'property', key: key.trim(), operator: op, value: n });
    }
  }
  return filters;
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return null;
  const n = Number(value);
  return Number.isFinite(n) && Math.abs(n) < 1e12 ? n : null;
}

/** Money: at most 2 decimals, so sums and averages compare exactly in cents. */
function toMoney(value: unknown): number | null {
  const n = toNumber(value);
  if (n === null || Math.abs(n) >= 1e12) return null;
  const cents = Math.round(n * 100);
  return Math.abs(cents - n * 100) < 1e-6 ? cents / 100 : null;
}

function toInteger(value: unknown): number | null {
  const n = toNumber(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

function toList(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(',').map((s) => s.trim());
  return null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function toDate(value: unknown): DateValue | null {
  if (typeof value !== 'string') return null;
  const s = value.trim();
  const day = DAY.exec(s);
  if (day) {
    const d = new Date(`${s}T00:00:00Z`);
    // Reject 2024-02-30 and friends, which Date would roll over.
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) return null;
    return { kind: 'day', day: s };
  }
  if (INSTANT.test(s) && !Number.isNaN(new Date(s).getTime())) return { kind: 'instant', iso: new Date(s).toISOString() };
  return null;
}

function dateSortKey(d: DateValue): string {
  return d.kind === 'day' ? `${d.day}T00:00:00.000Z` : d.iso;
}
