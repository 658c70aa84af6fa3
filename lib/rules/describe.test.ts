import { describe, expect, it } from 'vitest';
import { createCatalog } from './fields';
import { describeRules } from './describe';

const rule = (field: string, operator: string, value?: unknown, extra: object = {}) => ({ field, operator, value, ...extra });
const words = (rules: unknown, options = {}) => {
  const d = describeRules(rules, options);
  if (!d.ok) throw new Error(d.message);
  return d.text;
};

describe('describeRules reads rules back in plain words', () => {
  it('reads the issue example as a marketer would say it', () => {
    expect(words({ combinator: 'and', rules: [rule('event:order', 'atLeast', { count: 2, days: 90 }), rule('country', '=', 'Germany')] })).toBe(
      'Customers who placed at least 2 orders in the last 90 days and whose country is "Germany"',
    );
  });

  it('writes nested groups, NOT and every kind of value', () => {
    const rules = {
      combinator: 'and',
      rules: [
        rule('orderCount', '>=', '2'),
        { combinator: 'or', not: true, rules: [rule('country', 'in', ['France', 'Spain']), rule('lastOrderAt', 'inLastDays', 30)] },
        { combinator: 'or', rules: [rule('email', 'null'), rule('totalSpent', 'between', [10, 100])] },
        rule('event:order_cancelled', 'exactly', { count: 0, days: null }),
        rule('createdAt', 'before', '2011-06-01'),
        rule('lastActivityAt', 'inLast', { amount: 1, unit: 'months' }),
        rule('email', 'endsWith', '@Example.com', { caseSensitive: true }),
      ],
    };
    expect(words(rules)).toBe(
      'Customers whose number of orders is at least 2' +
        ' and other than those (whose country is one of "France", "Spain" or whose last order date is in the last 30 days)' +
        ' and (whose email is empty or whose total spent is between 10 and 100)' +
        ' and who cancelled no orders ever and whose customer since is before 2011-06-01' +
        ' and whose last activity date is in the last month and whose email ends with "@Example.com" (matching case)',
    );
  });

  it('event filters, revenue aggregates, anniversaries and traits', () => {
    const catalog = createCatalog([{ key: 'birthday', label: 'Birthday', type: 'date' }]);
    const rules = {
      combinator: 'and',
      rules: [
        rule('event:order', 'atLeast', { count: 1, days: 30, where: [{ on: 'revenue', operator: '>=', value: 50 }, { on: 'property', key: 'channel', operator: '=', value: 'web' }] }),
        rule('event:order', 'revenueSum', { comparator: '>', amount: 100, days: 365 }),
        rule('trait:birthday', 'anniversaryWithin', 7),
      ],
    };
    expect(words(rules, { catalog })).toBe(
      'Customers who placed at least 1 order with revenue at least 50 and channel equal to "web" in the last 30 days' +
        ' and whose total revenue of orders placed in the last 365 days is over 100 and whose birthday has its anniversary within the next 7 days',
    );
  });

  it('negations and segments', () => {
    expect(words({ combinator: 'and', not: true, rules: [rule('country', '=', 'France')] })).toBe('Customers other than those whose country is "France"');
    const rules = { combinator: 'and', rules: [{ field: 'segment', operator: 'notIn', value: 3 }] };
    expect(words(rules, { segmentNames: new Map([[3, 'Repeat customers']]) })).toBe('Customers who are not in segment "Repeat customers"');
    expect(words(rules)).toBe('Customers who are not in segment #3');
  });

  it('says what is wrong with invalid rules', () => {
    expect(describeRules({ combinator: 'and', rules: [] })).toEqual({ ok: false, message: 'add at least one condition' });
  });
});
