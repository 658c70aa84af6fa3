import type { Field, OptionGroup, RuleGroupType, RuleType } from 'react-querybuilder';
import { BUILT_IN_CATALOG, CASE_SENSITIVE_CAPABLE, OPERATORS, OPERATOR_ALIASES, findOperator, type FieldCatalog, type FieldDef, type OperatorDef } from '@/lib/rules/fields';

/**
 * The builder's configuration, derived from the compiler's allow-list (lib/rules/fields.ts):
 * every field and operator it offers is one the parser accepts, with values shaped as it expects.
 */
const GROUP_ORDER: FieldDef['group'][] = ['Events', 'Metrics', 'Profile', 'Traits', 'Segments'];

/** The builder's fields, grouped, from a catalog (built-in fields and the registered traits). */
export function builderFields(catalog: FieldCatalog = BUILT_IN_CATALOG): OptionGroup<Field>[] {
  return GROUP_ORDER.map((group) => ({
    label: group,
    options: catalog.fields
      .filter((f) => f.group === group)
      .map((f) => ({
        name: f.name,
        value: f.name,
        label: f.label,
        operators: OPERATORS[f.type].map((o) => ({ name: o.name, value: o.name, label: o.label })),
      })),
  })).filter((g) => g.options.length > 0);
}

export const BUILDER_FIELDS = builderFields();

/** What the builder hands its controls through react-querybuilder's `context` prop. */
export interface RuleBuilderContext {
  catalog: FieldCatalog;
}

/** The value a new condition gets, looked up in the catalog the builder offers. */
export function defaultValueIn(catalog: FieldCatalog, rule: { field: string; operator: string }): unknown {
  const field = catalog.find(rule.field);
  const operator = field && findOperator(field.type, rule.operator);
  return operator ? defaultValueFor(operator) : '';
}

export const BUILDER_COMBINATORS = [
  { name: 'and', value: 'and', label: 'AND' },
  { name: 'or', value: 'or', label: 'OR' },
];

export const DEFAULT_FIELD = 'event:order';

/** A rule set with no conditions (not yet valid: an empty segment would tag everyone). */
export function emptyRuleGroup(): RuleGroupType {
  return { combinator: 'and', rules: [] };
}

/** What a new segment or audience starts from: one condition to adjust. */
export function defaultRuleGroup(): RuleGroupType {
  return { combinator: 'and', rules: [{ field: DEFAULT_FIELD, operator: 'atLeast', value: { count: 1, days: 90 } }] };
}

/** The value a fresh condition gets for a field and operator. */
export function defaultValueFor(operator: OperatorDef): unknown {
  switch (operator.arity) {
    case 'none':
    case 'one':
      return '';
    case 'relative':
      return { amount: 30, unit: 'days' };
    case 'anniversary':
      return 7;
    case 'event':
      return { count: 1, days: 90 };
    case 'aggregate':
      return { comparator: '>=', amount: 100, days: 365 };
    case 'pair':
      return ['', ''];
    case 'list':
      return [];
    case 'segment':
      return '';
  }
}

function fits(operator: OperatorDef, value: unknown): boolean {
  switch (operator.arity) {
    case 'none':
      return value === '' || value === null || value === undefined;
    case 'one':
      return typeof value === 'string' || typeof value === 'number';
    // The parser also reads {days} for anniversaries and a bare number of days for relative windows;
    // a date left by "is before" is no number of days.
    case 'anniversary':
      return isWholeNumber(value) || (isObject(value) && 'days' in value);
    case 'relative':
      return isWholeNumber(value) || (isObject(value) && 'amount' in value && 'unit' in value);
    case 'event':
      return isObject(value) && 'count' in value;
    case 'aggregate':
      return isObject(value) && 'comparator' in value;
    case 'pair':
      return Array.isArray(value) && value.length === 2;
    case 'list':
      return Array.isArray(value);
    case 'segment':
      return typeof value === 'string' || typeof value === 'number';
  }
}

// '' too: a box being retyped must not snap back to the default.
const isWholeNumber = (value: unknown) => typeof value === 'number' || (typeof value === 'string' && /^\s*\d*\s*$/.test(value));
const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Keeps a value across an operator change when it still fits ("=" to "≠"), else resets it to the
 * new operator's shape; drops "match case" where it does not apply; names first-version
 * operators by today's names so the operator menu shows them.
 */
export function fitValue(rule: RuleType, catalog: FieldCatalog = BUILT_IN_CATALOG): RuleType {
  const field = catalog.find(rule.field);
  const alias = OPERATOR_ALIASES[rule.operator];
  if (field && alias && findOperator(field.type, rule.operator)) rule = { ...rule, operator: alias };
  const operator = field && findOperator(field.type, rule.operator);
  if ((rule as { caseSensitive?: boolean }).caseSensitive && !(field?.type === 'text' && operator && CASE_SENSITIVE_CAPABLE.has(operator.name))) {
    const { caseSensitive: _dropped, ...rest } = rule as RuleType & { caseSensitive?: boolean };
    rule = rest;
  }
  if (!operator || fits(operator, rule.value)) return rule;
  if (operator.arity === 'list' && typeof rule.value === 'string' && rule.value.trim() !== '') {
    return { ...rule, value: splitList(rule.value) };
  }
  return { ...rule, value: defaultValueFor(operator) };
}

/** fitValue over the whole tree; returns the same objects where nothing changed. */
export function fitValues(group: RuleGroupType, catalog: FieldCatalog = BUILT_IN_CATALOG): RuleGroupType {
  let changed = false;
  const rules = group.rules.map((r) => {
    if (typeof r === 'string') return r;
    const next = 'rules' in r ? fitValues(r, catalog) : fitValue(r, catalog);
    if (next !== r) changed = true;
    return next;
  });
  return changed ? { ...group, rules } : group;
}

export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Stored rules as the builder's value; anything not shaped like a group starts over empty rather than crashing the builder. */
export function toRuleGroup(rules: unknown): RuleGroupType {
  if (rules && typeof rules === 'object' && Array.isArray((rules as RuleGroupType).rules) && typeof (rules as RuleGroupType).combinator === 'string') {
    return rules as RuleGroupType;
  }
  return emptyRuleGroup();
}

/**
 * Gives rules and groups without an id one derived from their position. The builder would otherwise
 * invent random ids on the server and again in the browser, and the two renders would not match.
 */
export function withIds(group: RuleGroupType, path = 'rule'): RuleGroupType {
  let changed = !group.id;
  const rules = group.rules.map((r, i) => {
    if (typeof r === 'string') return r;
    const childPath = `${path}-${i}`;
    const next = 'rules' in r ? withIds(r, childPath) : r.id ? r : { ...r, id: childPath };
    if (next !== r) changed = true;
    return next;
  });
  return changed ? { ...group, id: group.id ?? path, rules } : group;
}
