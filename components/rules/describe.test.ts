import { describe, expect, it } from 'vitest';
import { describeRules } from './describe';

const rule = (field: string, operator: string, value?: unknown) => ({ field, operator, value });

describe('describeRules', () => {
  it('writes nested groups, NOT and every kind of value in words', () => {
    const rules = {
      combinator: 'and',
      rules: [
        rule('orderCount', '>=', '2'),
        rule('event:order', 'atLeast', { count: 3, days: 90 }),
        {
          combinator: 'or',
          not: true,
          rules: [rule('country', 'in', ['France', 'Spain']), rule('lastOrderAt', 'inLastDays', 30)],
        },
        { combinator: 'or', rules: [rule('email', 'null'), rule('totalSpent', 'between', [10, 100])] },
        rule('event:order_cancelled', 'exactly', { count: 0, days: null }),
        rule('createdAt', 'before', '2011-06-01'),
      ],
    };
    expect(describeRules(rules)).toEqual({
      ok: true,
      text:
        'Number of orders ≥ 2 AND Placed orders at least 3 times in the last 90 days' +
        ' AND NOT (Country is one of "France", "Spain" OR Last order date in the last 30 days)' +
        ' AND (Email is empty OR Total spent is between 10 and 100)' +
        ' AND Cancelled orders exactly 0 times ever AND Customer since is before 2011-06-01',
    });
  });

  it('wraps a negated single condition and a negated top group', () => {
    expect(describeRules({ combinator: 'and', not: true, rules: [rule('country', '=', 'France')] })).toEqual({ ok: true, text: 'NOT (Country is "France")' });
    expect(describeRules({ combinator: 'or', not: true, rules: [rule('emailConsent', 'isTrue'), rule('lastOrderAt', 'moreThanDaysAgo', 90)] })).toEqual({
      ok: true,
      text: 'NOT (Email consent is true OR Last order date more than 90 days ago)',
    });
  });

  it('says what is wrong with invalid rules', () => {
    expect(describeRules({ combinator: 'and', rules: [] })).toEqual({ ok: false, message: 'add at least one condition' });
  });
});

describe('describeRules with segment membership', () => {
  it('names the segment when its name is known, else its id', () => {
    const rules = { combinator: 'and', rules: [{ field: 'segment', operator: 'notIn', value: 3 }] };
    expect(describeRules(rules, new Map([[3, 'Repeat customers']]))).toEqual({ ok: true, text: 'Is not in segment "Repeat customers"' });
    expect(describeRules(rules)).toEqual({ ok: true, text: 'Is not in segment #3' });
  });
});
