import { describe, expect, it } from 'vitest';
import { formatCount, formatMoney } from './format';

describe('formatCount', () => {
  it('agrees the noun with the count', () => {
    expect(formatCount(0, 'profile')).toBe('0 profiles');
    expect(formatCount(1, 'profile')).toBe('1 profile');
    expect(formatCount(2, 'profile')).toBe('2 profiles');
    expect(formatCount(1494, 'matching profile')).toBe('1,494 matching profiles');
  });

  it('takes an irregular plural', () => {
    expect(formatCount(1, 'entry', 'entries')).toBe('1 entry');
    expect(formatCount(3, 'entry', 'entries')).toBe('3 entries');
  });
});

describe('formatMoney', () => {
  it('puts the sign before the currency symbol', () => {
    expect(formatMoney('-102.58')).toBe('\u2212£102.58');
    expect(formatMoney(-1234.5)).toBe('\u2212£1,234.50');
  });

  it('formats positive amounts and zero without a sign', () => {
    expect(formatMoney('102.58')).toBe('£102.58');
    expect(formatMoney(0)).toBe('£0.00');
    expect(formatMoney(-0.001)).toBe('£0.00');
  });

  it('shows a dash for no amount and the text for something that is not a number', () => {
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney('')).toBe('—');
    expect(formatMoney('n/a')).toBe('n/a');
  });
});
