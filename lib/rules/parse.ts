import { z } from 'zod';
import { findField, findOperator, type FieldDef, type OperatorDef } from './fields';

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

const ruleSchema = z.object({ field: z.string(), operator: z.string(), value: z.unknown().optional() });
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
  | { kind: 'days'; days: number }
  | { kind: 'event'; count: number; days: number | null }
  | { kind: 'segment'; segmentId: number };

export interface Condition {
  type: 'condition';
  field: FieldDef;
  operator: OperatorDef;
  value: LeafValue;
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

export function parseRules(input: unknown): ParseResult {
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
    const field = findField(fieldName);
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
    return { type: 'condition', field, operator, value: normalised };
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
    case 'days': {
      const days = toInteger(value);
      if (days === null || days < 1 || days > MAX_DAYS) return `needs a whole number of days between 1 and ${MAX_DAYS}`;
      return { kind: 'days', days };
    }
    case 'event':
      return normaliseEventValue(value);
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

function normaliseEventValue(value: unknown): LeafValue | string {
  if (typeof value !== 'object' || value === null) return 'needs a count and a window';
  const v = value as { count?: unknown; days?: unknown };
  const count = toInteger(v.count);
  if (count === null || count < 0 || count > 1_000_000) return 'needs a whole number of times, 0 or more';
  const noWindow = v.days === null || v.days === undefined || v.days === '';
  const days = noWindow ? null : toInteger(v.days);
  if (!noWindow && (days === null || days < 1 || days > MAX_DAYS)) return `the window must be between 1 and ${MAX_DAYS} days, or empty for "ever"`;
  return { kind: 'event', count, days };
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return null;
  const n = Number(value);
  return Number.isFinite(n) && Math.abs(n) < 1e12 ? n : null;
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
