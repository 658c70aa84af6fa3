/**
 * The allow-list of everything a rule may refer to. The rule compiler only ever splices the
 * SQL expressions written here; every value a user types is bound as a parameter.
 * The builder (components/rules) reads the same list, so what can be built is what can be compiled.
 *
 * Custom traits (profiles.traits, registered in trait_definitions with a type) join the built-in
 * fields through a FieldCatalog; their JSON key is bound as a parameter, never spliced.
 */
export type ValueType = 'text' | 'number' | 'date' | 'boolean';
export type FieldType = ValueType | 'event' | 'segment';

export interface FieldDef {
  name: string;
  label: string;
  group: 'Profile' | 'Metrics' | 'Events' | 'Segments' | 'Traits';
  type: FieldType;
  /** SQL expression over the profile row aliased `p` (built-in attributes). */
  sql?: string;
  /** For custom traits: the key in profiles.traits. */
  trait?: string;
  /** For event fields: the event type counted. */
  eventType?: string;
  /** For event fields: the noun shown in the builder ("orders"). */
  noun?: string;
  /** For event fields, in plain words: "placed" 1 "order" / 2 "orders". */
  verb?: string;
  one?: string;
  many?: string;
  /** Helps the builder offer known values. */
  suggestions?: 'country';
}

export const BUILT_IN_FIELDS: readonly FieldDef[] = [
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
  { name: 'event:order', label: 'Placed orders', group: 'Events', type: 'event', eventType: 'order', noun: 'orders', verb: 'placed', one: 'order', many: 'orders' },
  {
    name: 'event:order_cancelled',
    label: 'Cancelled orders',
    group: 'Events',
    type: 'event',
    eventType: 'order_cancelled',
    noun: 'cancellations',
    verb: 'cancelled',
    one: 'order',
    many: 'orders',
  },
  // Reads the other segment's stored tags; runs evaluate segments in dependency order (lib/segments/dependencies.ts).
  { name: 'segment', label: 'Segment membership', group: 'Segments', type: 'segment' },
];

/** Kept for callers that only know the built-in fields. */
export const FIELDS = BUILT_IN_FIELDS;

/** A registered custom trait: a key of profiles.traits with the type its values are read as. */
export interface TraitDefinition {
  key: string;
  label: string;
  type: ValueType;
}

export const TRAIT_PREFIX = 'trait:';
/** Trait keys are identifiers, so the field name `trait:<key>` is unambiguous and safe to show. */
export const TRAIT_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

export interface FieldCatalog {
  readonly fields: readonly FieldDef[];
  find(name: string): FieldDef | undefined;
}

export function traitField(t: TraitDefinition): FieldDef {
  return { name: `${TRAIT_PREFIX}${t.key}`, label: t.label, group: 'Traits', type: t.type, trait: t.key };
}

export function createCatalog(traits: readonly TraitDefinition[] = []): FieldCatalog {
  const fields = [...BUILT_IN_FIELDS, ...traits.map(traitField)];
  const byName = new Map(fields.map((f) => [f.name, f]));
  return { fields, find: (name) => byName.get(name) };
}

/** The built-in fields only: what is valid without reading the trait registry. */
export const BUILT_IN_CATALOG = createCatalog();

export function findField(name: string): FieldDef | undefined {
  return BUILT_IN_CATALOG.find(name);
}

export type Arity = 'none' | 'one' | 'pair' | 'list' | 'relative' | 'anniversary' | 'event' | 'aggregate' | 'segment';

export interface OperatorDef {
  name: string;
  label: string;
  /** The shape of the operator's value (see lib/rules/parse.ts). */
  arity: Arity;
}

const op = (name: string, label: string, arity: Arity): OperatorDef => ({ name, label, arity });
const EMPTY = op('null', 'is empty', 'none');
const NOT_EMPTY = op('notNull', 'is not empty', 'none');

/** Text operators that compare values, and so may be made case-sensitive. */
export const CASE_SENSITIVE_CAPABLE = new Set(['=', '!=', 'contains', 'doesNotContain', 'beginsWith', 'endsWith', 'in', 'notIn']);

/** Units of relative date windows; days and weeks are 24-hour multiples, months are calendar months. */
export const TIME_UNITS = ['minutes', 'hours', 'days', 'weeks', 'months'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** Comparisons for revenue sums and averages, and numeric event property filters. */
export const COMPARATORS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type Comparator = (typeof COMPARATORS)[number];

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
    op('inLast', 'in the last', 'relative'),
    op('moreThanAgo', 'more than … ago', 'relative'),
    op('inNext', 'in the next', 'relative'),
    op('before', 'is before', 'one'),
    op('after', 'is after', 'one'),
    op('on', 'is on', 'one'),
    op('between', 'is between', 'pair'),
    op('anniversaryWithin', 'day and month within the next', 'anniversary'),
    EMPTY,
    NOT_EMPTY,
  ],
  boolean: [op('isTrue', 'is true', 'none'), op('isFalse', 'is false', 'none'), EMPTY, NOT_EMPTY],
  event: [
    op('atLeast', 'at least', 'event'),
    op('atMost', 'at most', 'event'),
    op('exactly', 'exactly', 'event'),
    op('revenueSum', 'total revenue', 'aggregate'),
    op('revenueAverage', 'average revenue', 'aggregate'),
  ],
  segment: [op('in', 'is in', 'segment'), op('notIn', 'is not in', 'segment')],
};

/** Names from the first version, still accepted in stored rules: they mean the same with a unit of days. */
export const OPERATOR_ALIASES: Record<string, string> = { inLastDays: 'inLast', moreThanDaysAgo: 'moreThanAgo' };

export function findOperator(type: FieldType, name: string): OperatorDef | undefined {
  const canonical = type === 'date' ? (OPERATOR_ALIASES[name] ?? name) : name;
  return OPERATORS[type].find((o) => o.name === canonical);
}
