import { describe, expect, it } from 'vitest';
import { parseRules } from '@/lib/rules/parse';
import { anniversaryDays, newFilter, propertyValue, relativeParts, switchFilterTarget, toStored, withoutEmptyWhere } from './value-shapes';

const one = (field: string, operator: string, value: unknown) => ({ combinator: 'and', rules: [{ field, operator, value }] });
const parses = (field: string, operator: string, value: unknown) => {
  const result = parseRules(one(field, operator, value));
  return result.ok ? true : result.problems.map((p) => p.message).join('; ');
};

describe('the values the builder editors write', () => {
  it('relative windows: {amount, unit}, with a first-version number read as days', () => {
    expect(relativeParts({ amount: 3, unit: 'months' })).toEqual({ amount: 3, unit: 'months' });
    expect(relativeParts(45)).toEqual({ amount: 45, unit: 'days' });
    expect(relativeParts({ amount: 2, unit: 'fortnights' })).toEqual({ amount: 2, unit: 'days' });
    expect(relativeParts(undefined)).toEqual({ amount: '', unit: 'days' });
    expect(parses('lastActivityAt', 'inLast', { amount: toStored('3'), unit: 'months' })).toBe(true);
    expect(parses('lastActivityAt', 'moreThanAgo', { amount: toStored('12'), unit: 'hours' })).toBe(true);
    expect(parses('lastActivityAt', 'inLast', { amount: toStored(''), unit: 'days' })).toMatch(/needs a whole number of days/);
  });

  it('anniversaries: a number of days, also read from {days}', () => {
    expect(anniversaryDays({ days: 5 })).toBe(5);
    expect(anniversaryDays(7)).toBe(7);
    expect(parses('createdAt', 'anniversaryWithin', toStored('0'))).toBe(true);
    expect(parses('createdAt', 'anniversaryWithin', toStored('367'))).toMatch(/between 0 \(today\) and 366/);
  });

  it('event conditions with filters, and without a where key when there are none', () => {
    expect(withoutEmptyWhere({ count: 1, days: 90, where: [] })).toEqual({ count: 1, days: 90 });
    expect(withoutEmptyWhere({ count: 1, days: null, where: undefined })).toEqual({ count: 1, days: null });
    const where = [{ on: 'revenue', operator: '>=', value: toStored('10') }, { on: 'property', key: 'channel', operator: '=', value: propertyValue('=', '42') }];
    expect(where[1]!.value).toBe('42'); // text comparisons keep the text, even when it looks like a number
    expect(parses('event:order', 'atLeast', withoutEmptyWhere({ count: 1, days: 365, where }))).toBe(true);
    expect(parses('event:order', 'atLeast', { count: 1, days: 365, where: [newFilter()] })).toMatch(/event condition 1: revenue needs an amount/);
    expect(parses('event:order', 'revenueSum', withoutEmptyWhere({ comparator: '>=', amount: toStored('99.5'), days: null, where: [] }))).toBe(true);
    expect(parses('event:order', 'revenueAverage', { comparator: '<', amount: 20, days: 30, where: [{ on: 'property', key: 'items', operator: '>', value: propertyValue('>', '3') }] })).toBe(true);
  });

  it('a filter moved between revenue and a property keeps what still applies', () => {
    expect(switchFilterTarget({ on: 'revenue', operator: '<', value: 5 }, 'property')).toEqual({ on: 'property', key: '', operator: '<', value: 5 });
    expect(switchFilterTarget({ on: 'property', key: 'channel', operator: 'contains', value: 'web' }, 'revenue')).toEqual({ on: 'revenue', operator: '>=', value: '' });
    expect(switchFilterTarget({ on: 'property', key: 'items', operator: '>', value: 3 }, 'revenue')).toEqual({ on: 'revenue', operator: '>', value: 3 });
    expect(propertyValue('contains', ' 12 ')).toBe(' 12 ');
    expect(propertyValue('<=', ' 12 ')).toBe(12);
    expect(propertyValue('<=', 'many')).toBe('many'); // left for the parser to refuse
  });
});
