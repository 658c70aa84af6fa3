import { COMPARATORS, TIME_UNITS, type TimeUnit } from '@/lib/rules/fields';
import { PROPERTY_OPERATORS } from '@/lib/rules/parse';

/**
 * The value shapes the editors in value-editor.tsx read and write, as lib/rules/parse.ts accepts
 * them. Kept apart from the components so they can be tested without a browser.
 */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A numeric string becomes a number; anything else stays as typed so the parser can say what is wrong. */
export function toStored(text: string): number | string {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
}

export const COMPARATOR_LABELS: Record<string, string> = { '=': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };
export const PROPERTY_OPERATOR_LABELS: Record<string, string> = { '=': 'is', '!=': 'is not', contains: 'contains', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };
const TEXT_PROPERTY_OPERATORS = new Set(['=', '!=', 'contains']);

/** A relative window as {amount, unit}; a plain number (the first version's value) is a number of days. */
export function relativeParts(value: unknown): { amount: unknown; unit: TimeUnit } {
  const v = isObject(value) ? value : { amount: value, unit: 'days' };
  return { amount: v.amount ?? '', unit: TIME_UNITS.find((u) => u === v.unit) ?? 'days' };
}

/** The parser takes an anniversary's days as a number or as {days}; the editor writes a number. */
export function anniversaryDays(value: unknown): unknown {
  return isObject(value) ? value.days : value;
}

export type EventShape = { count?: unknown; days?: unknown; where?: unknown; comparator?: unknown; amount?: unknown };

/** No `where` key when there are no filters, so a plain event condition stays as it was stored. */
export function withoutEmptyWhere(v: EventShape): EventShape {
  if (Array.isArray(v.where) && v.where.length > 0) return v;
  const { where: _none, ...rest } = v;
  return rest;
}

export type RawFilter = { on?: unknown; key?: unknown; operator?: unknown; value?: unknown };

/** The filter "+ where" adds: on revenue, at least an amount still to type. */
export function newFilter(): RawFilter {
  return { on: 'revenue', operator: '>=', value: '' };
}

/** A filter moved from revenue to a property (or back) keeps the comparison and value where they still apply. */
export function switchFilterTarget(filter: RawFilter, on: 'revenue' | 'property'): RawFilter {
  if (on === 'revenue') {
    const operator = COMPARATORS.find((c) => c === filter.operator) ?? '>=';
    return { on, operator, value: typeof filter.value === 'number' ? filter.value : '' };
  }
  const operator = PROPERTY_OPERATORS.find((o) => o === filter.operator) ?? '=';
  return { on, key: typeof filter.key === 'string' ? filter.key : '', operator, value: propertyValue(operator, asText(filter.value)) };
}

/** A property's value: the text as typed for is / is not / contains, a number for the comparisons. */
export function propertyValue(operator: unknown, text: string): string | number {
  return typeof operator === 'string' && TEXT_PROPERTY_OPERATORS.has(operator) ? text : toStored(text);
}

export function asText(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
}
