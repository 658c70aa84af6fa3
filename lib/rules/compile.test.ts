import { describe, expect, it } from 'vitest';
import { compileRules } from './compile';
import { parseRules, type Group } from './parse';

const NOW = new Date('2026-06-01T12:00:00Z');

function parsed(rules: unknown): Group {
  const result = parseRules(rules);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.tree;
}
const one = (field: string, operator: string, value?: unknown) => ({ combinator: 'and', rules: [{ field, operator, value }] });

const HOSTILE = [
  "'; DROP TABLE profiles; --",
  'x" OR 1=1 --',
  '$9::text',
  '\\\\',
  '%_%',
  'Zoë 👩‍💻 中文',
  ') OR (true',
  "United Kingdom' OR 'a'='a",
];

describe('parseRules', () => {
  it('refuses an empty rule set, so no segment tags everyone by accident', () => {
    const result = parseRules({ combinator: 'and', rules: [] });
    expect(result).toEqual({ ok: false, problems: [{ path: 'rules', message: 'add at least one condition' }] });
  });

  it('refuses empty nested groups, unknown combinators and non-objects', () => {
    expect(parseRules({ combinator: 'and', rules: [{ combinator: 'or', rules: [] }] }).ok).toBe(false);
    expect(parseRules({ combinator: 'xor', rules: [{ field: 'country', operator: '=', value: 'UK' }] }).ok).toBe(false);
    expect(parseRules('SELECT 1').ok).toBe(false);
    expect(parseRules(null).ok).toBe(false);
  });

  it.each(HOSTILE)('refuses a hostile field name %j and never echoes more than a short excerpt', (name) => {
    const result = parseRules(one(name, '=', 'x'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/^unknown field/);
  });

  it('refuses an operator that does not apply to the field', () => {
    const result = parseRules(one('orderCount', 'contains', '1'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toContain('does not apply');
  });

  it.each([
    ['orderCount', '>', 'abc', 'needs a number'],
    ['orderCount', '>', '1e400', 'needs a number'],
    ['orderCount', 'between', [5, 1], 'must not be greater'],
    ['lastOrderAt', 'before', '2024-02-30', 'needs a date'],
    ['lastOrderAt', 'inLastDays', 0, 'whole number of days'],
    ['lastOrderAt', 'inLastDays', 2.5, 'whole number of days'],
    ['event:order', 'atLeast', { count: -1, days: 30 }, 'whole number of times'],
    ['event:order', 'atLeast', { count: 1, days: 0 }, 'window must be'],
    ['country', '=', '', 'needs a value'],
    ['country', 'in', [], 'at least one value'],
    ['country', '=', 'x'.repeat(501), 'at most 500'],
  ])('%s %s %j is refused: %s', (field, operator, value, message) => {
    const result = parseRules(one(field, operator, value));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toContain(message);
  });

  it('reports every problem with its path', () => {
    const result = parseRules({
      combinator: 'and',
      rules: [{ field: 'nope', operator: '=', value: 1 }, { combinator: 'or', rules: [{ field: 'orderCount', operator: '>', value: 'x' }] }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toEqual(['rules.rules[0]', 'rules.rules[1].rules[0]']);
  });

  it('accepts react-querybuilder output with ids and string values', () => {
    const result = parseRules({
      id: 'root',
      combinator: 'and',
      not: false,
      rules: [
        { id: 'r1', field: 'orderCount', operator: '>=', value: '2', valueSource: 'value' },
        { id: 'r2', field: 'country', operator: 'in', value: 'United Kingdom, France' },
      ],
    });
    expect(result.ok).toBe(true);
  });
});

describe('compileRules', () => {
  it.each(HOSTILE)('binds the hostile value %j as a parameter and never splices it', (value) => {
    const { where, params } = compileRules(parsed(one('country', 'contains', value)), NOW);
    expect(where).not.toContain(value);
    expect(params).toContain(value);
    expect(where).toMatch(/^COALESCE\(strpos\(lower\(NULLIF\(p\.country, ''\)\), lower\(\$1::text\)\) > 0, false\)$/);
  });

  it('binds list values as one array parameter', () => {
    const { where, params } = compileRules(parsed(one('country', 'notIn', ['France', "O'Brien"])), NOW);
    expect(params).toEqual([['France', "O'Brien"]]);
    expect(where).toContain('unnest($1::text[])');
  });

  it('binds the clock once however many conditions use it, and numbers after an offset', () => {
    const tree = parsed({
      combinator: 'or',
      rules: [
        { field: 'lastOrderAt', operator: 'inLastDays', value: 30 },
        { field: 'event:order', operator: 'atLeast', value: { count: 2, days: 90 } },
      ],
    });
    const { where, params } = compileRules(tree, NOW, { paramOffset: 3 });
    expect(params.filter((p) => p === NOW.toISOString())).toHaveLength(1);
    expect(where).toContain('$4::timestamptz');
    expect(where).not.toMatch(/\$[123]::/);
  });

  it('wraps every condition so that NOT is two-valued', () => {
    const { where } = compileRules(parsed({ combinator: 'and', not: true, rules: [{ field: 'country', operator: '=', value: 'France' }] }), NOW);
    expect(where).toBe("(NOT COALESCE(lower(NULLIF(p.country, '')) = lower($1::text), false))");
  });
});
