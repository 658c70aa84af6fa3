/**
 * The allow-list of everything a rule may refer to. The rule compiler only ever splices the
 * SQL expressions written here; every value a user types is bound as a parameter.
 * The builder (components/rules) reads the same list, so what can be built is what can be compiled.
 */
export type FieldType = 'text' | 'number' | 'date' | 'boolean' | 'event' | 'segment';

export interface FieldDef {
  name: string;
  label: string;
  group: 'Profile' | 'Metrics' | 'Events' | 'Segments';
  type: FieldType;
  /** SQL expression over the profile row aliased `p` (not for event fields). */
  sql?: string;
  /** For event fields: the event type counted. */
  eventType?: string;
  /** For event fields: the noun shown in the builder ("orders"). */
  noun?: string;
  /** Helps the builder offer known values. */
  suggestions?: 'country';
}

export const FIELDS: readonly FieldDef[] = [
  { name: 'externalId', label: 'Customer id', group: 'Profile', type: 'text', sql: 'p.external_id' },
  { name: 'email', label: 'Email', group: 'Profile', type: 'text', sql: 'p.email' },
  { name: 'firstName', label: 'First name', group: 'Profile', type: 'text', sql: 'p.first_name' },
  { name: 'lastName', label: 'Last name', group: 'Profile', type: 'text', sql: 'p.last_name' },
  { name: 'country', label: 'Country', group: 'Profile', type: 'text', sql: 'p.country', suggestions: 'country' },
  { name: 'city', label: 'City', group: 'Profile', type: 'text', sql: 'p.city' },
  { name: 'emailConsent', label: 'Email consent', group: 'Profile', type: 'boolean', sql: 'p.email_consent' },
  { name: 'createdAt', label: 'Customer since', group: 'Profile', type: 'date', sql: 'p.created_at' },
  { name: 'orderCount', label: 'Number of orders', group: 'Metrics', type: 'number', sql: 'p.order_count' },
  { name: 'totalSpent', label: 'Total spent', group: 'Metrics', type: 'number', sql: 'p.total_spent' },
  {
    name: 'averageOrderValue',
    label: 'Average order value',
    group: 'Metrics',
    type: 'number',
    sql: '(CASE WHEN p.order_count > 0 THEN round(p.total_spent / p.order_count, 2) END)',
  },
  { name: 'cancellationCount', label: 'Number of cancellations', group: 'Metrics', type: 'number', sql: 'p.cancellation_count' },
  { name: 'firstOrderAt', label: 'First order date', group: 'Metrics', type: 'date', sql: 'p.first_order_at' },
  { name: 'lastOrderAt', label: 'Last order date', group: 'Metrics', type: 'date', sql: 'p.last_order_at' },
  { name: 'lastActivityAt', label: 'Last activity date', group: 'Metrics', type: 'date', sql: 'p.last_activity_at' },
  { name: 'event:order', label: 'Placed orders', group: 'Events', type: 'event', eventType: 'order', noun: 'orders' },
  {
    name: 'event:order_cancelled',
    label: 'Cancelled orders',
    group: 'Events',
    type: 'event',
    eventType: 'order_cancelled',
    noun: 'cancellations',
  },
  // Reads the other segment's stored tags; runs evaluate segments in dependency order (lib/segments/dependencies.ts).
  { name: 'segment', label: 'Segment membership', group: 'Segments', type: 'segment' },
];

const BY_NAME = new Map(FIELDS.map((f) => [f.name, f]));

export function findField(name: string): FieldDef | undefined {
  return BY_NAME.get(name);
}

export interface OperatorDef {
  name: string;
  label: string;
  /** How many values the operator takes: none, one, a pair, a list, or an event count/window. */
  arity: 'none' | 'one' | 'pair' | 'list' | 'days' | 'event' | 'segment';
}

const op = (name: string, label: string, arity: OperatorDef['arity']): OperatorDef => ({ name, label, arity });
const EMPTY = op('null', 'is empty', 'none');
const NOT_EMPTY = op('notNull', 'is not empty', 'none');

export const OPERATORS: Record<FieldType, readonly OperatorDef[]> = {
  text: [
    op('=', 'is', 'one'),
    op('!=', 'is not', 'one'),
    op('contains', 'contains', 'one'),
    op('doesNotContain', 'does not contain', 'one'),
    op('beginsWith', 'starts with', 'one'),
    op('endsWith', 'ends with', 'one'),
    op('in', 'is one of', 'list'),
    op('notIn', 'is not one of', 'list'),
    EMPTY,
    NOT_EMPTY,
  ],
  number: [
    op('=', '=', 'one'),
    op('!=', '≠', 'one'),
    op('<', '<', 'one'),
    op('<=', '≤', 'one'),
    op('>', '>', 'one'),
    op('>=', '≥', 'one'),
    op('between', 'is between', 'pair'),
    EMPTY,
    NOT_EMPTY,
  ],
  date: [
    op('inLastDays', 'in the last N days', 'days'),
    op('moreThanDaysAgo', 'more than N days ago', 'days'),
    op('before', 'is before', 'one'),
    op('after', 'is after', 'one'),
    op('on', 'is on', 'one'),
    op('between', 'is between', 'pair'),
    EMPTY,
    NOT_EMPTY,
  ],
  boolean: [op('isTrue', 'is true', 'none'), op('isFalse', 'is false', 'none'), EMPTY, NOT_EMPTY],
  event: [op('atLeast', 'at least', 'event'), op('atMost', 'at most', 'event'), op('exactly', 'exactly', 'event')],
  segment: [op('in', 'is in', 'segment'), op('notIn', 'is not in', 'segment')],
};

export function findOperator(type: FieldType, name: string): OperatorDef | undefined {
  return OPERATORS[type].find((o) => o.name === name);
}
