import { describe, expect, it } from 'vitest';
import { FIELDS, OPERATORS, createCatalog } from '@/lib/rules/fields';
import { parseRules } from '@/lib/rules/parse';
import { BUILDER_FIELDS, builderFields, defaultRuleGroup, defaultValueIn, emptyRuleGroup, fitValue, fitValues, toRuleGroup, withIds } from './builder-config';

describe('rule builder configuration', () => {
  it('offers exactly the allow-listed fields with their operators', () => {
    const offered = BUILDER_FIELDS.flatMap((g) => g.options);
    expect(offered.map((f) => f.name).sort()).toEqual(FIELDS.map((f) => f.name).sort());
    for (const f of FIELDS) {
      const field = offered.find((o) => o.name === f.name)!;
      expect((field.operators as { name: string }[]).map((o) => o.name)).toEqual(OPERATORS[f.type].map((o) => o.name));
    }
  });

  it('starts from a valid default and an empty group the parser refuses', () => {
    expect(parseRules(defaultRuleGroup()).ok).toBe(true);
    expect(parseRules(emptyRuleGroup()).ok).toBe(false);
  });

  it('keeps a value that fits the new operator and reshapes one that does not', () => {
    // `extra` as a plain object: RuleType has no caseSensitive, the builder carries it beside the value.
    const r = (operator: string, value: unknown, field = 'orderCount', extra: object = {}) => ({ id: 'x', field, operator, value, ...extra });
    const kept = r('>', 2);
    expect(fitValue(kept)).toBe(kept);
    expect(fitValue(r('between', 2)).value).toEqual(['', '']);
    expect(fitValue(r('null', 2)).value).toBe('');
    expect(fitValue(r('inLastDays', 45, 'lastOrderAt'))).toMatchObject({ operator: 'inLast', value: 45 }); // first-version name, same meaning
    expect(fitValue(r('inLast', '2011-01-01', 'lastOrderAt')).value).toEqual({ amount: 30, unit: 'days' });
    expect(fitValue(r('anniversaryWithin', '2011-01-01', 'createdAt')).value).toBe(7);
    expect(fitValue(r('anniversaryWithin', '', 'createdAt')).value).toBe(''); // cleared to type another number
    // Stored shapes the parser reads are kept as they are.
    const days = r('anniversaryWithin', { days: 5 }, 'createdAt');
    expect(fitValue(days)).toBe(days);
    expect(parseRules({ combinator: 'and', rules: [days] }).ok).toBe(true);
    const bare = r('moreThanAgo', 45, 'lastOrderAt');
    expect(fitValue(bare)).toBe(bare);
    expect(fitValue(r('contains', 'x', 'country', { caseSensitive: true }))).toHaveProperty('caseSensitive', true);
    expect(fitValue(r('>', 2, 'orderCount', { caseSensitive: true }))).not.toHaveProperty('caseSensitive');
    expect(fitValue(r('atLeast', 3, 'event:order')).value).toEqual({ count: 1, days: 90 });
    expect(fitValue(r('in', 'France, Spain', 'country')).value).toEqual(['France', 'Spain']);
  });

  it('every default value for every field and operator either parses or asks for input', () => {
    for (const f of FIELDS) {
      for (const o of OPERATORS[f.type]) {
        const group = fitValues({ combinator: 'and', rules: [{ field: f.name, operator: o.name, value: undefined }] });
        const result = parseRules(group);
        if (!result.ok) expect(result.problems[0]!.message).toMatch(/needs/);
      }
    }
  });

  it('returns the same tree when nothing needs fitting', () => {
    const group = defaultRuleGroup();
    expect(fitValues(group)).toBe(group);
  });

  it('gives missing ids from positions, so the server and the browser render the same tree', () => {
    const stored = { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 2 }, { combinator: 'or', rules: [{ id: 'kept', field: 'country', operator: '=', value: 'x' }] }] };
    const a = withIds(stored);
    expect(a).toEqual(withIds(structuredClone(stored)));
    expect(a.id).toBe('rule');
    expect(a.rules.map((r) => (typeof r === 'string' ? r : r.id))).toEqual(['rule-0', 'rule-1']);
    const inner = a.rules[1] as { rules: { id: string }[] };
    expect(inner.rules[0]!.id).toBe('kept');
    expect(withIds(a)).toBe(a);
  });

  it('reads stored rules that are not a group as an empty group', () => {
    expect(toRuleGroup(null)).toEqual(emptyRuleGroup());
    expect(toRuleGroup({ rules: 'x' })).toEqual(emptyRuleGroup());
    const ok = defaultRuleGroup();
    expect(toRuleGroup(ok)).toBe(ok);
  });

  it('offers registered traits in their own group, with defaults the parser reads in the same catalog', () => {
    const catalog = createCatalog([
      { key: 'tier', label: 'Loyalty tier', type: 'text' },
      { key: 'birthday', label: 'Birthday', type: 'date' },
      { key: 'vip', label: 'VIP', type: 'boolean' },
    ]);
    const traits = builderFields(catalog).find((g) => g.label === 'Traits');
    expect(traits?.options.map((o) => o.name)).toEqual(['trait:tier', 'trait:birthday', 'trait:vip']);
    expect(BUILDER_FIELDS.some((g) => g.label === 'Traits')).toBe(false);

    expect(defaultValueIn(catalog, { field: 'trait:birthday', operator: 'anniversaryWithin' })).toBe(7);
    expect(defaultValueIn(catalog, { field: 'trait:birthday', operator: 'inNext' })).toEqual({ amount: 30, unit: 'days' });
    expect(defaultValueIn(createCatalog(), { field: 'trait:birthday', operator: 'inNext' })).toBe('');
    const group = { combinator: 'and', rules: [{ field: 'trait:birthday', operator: 'anniversaryWithin', value: defaultValueIn(catalog, { field: 'trait:birthday', operator: 'anniversaryWithin' }) }] };
    expect(parseRules(group, catalog).ok).toBe(true);
    expect(parseRules(group).ok).toBe(false); // unknown without the registry
    // Match case stays on a text trait, where it applies.
    const cased = { id: 'x', field: 'trait:tier', operator: '=', value: 'Gold', caseSensitive: true };
    expect(fitValue(cased, catalog)).toBe(cased);
  });
});
