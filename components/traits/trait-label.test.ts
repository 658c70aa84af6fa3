import { describe, expect, it } from 'vitest';
import { labelFromKey } from './trait-label';

describe('labelFromKey', () => {
  it('reads snake_case and camelCase keys as words', () => {
    expect(labelFromKey('loyalty_tier')).toBe('Loyalty tier');
    expect(labelFromKey('loyaltyTier')).toBe('Loyalty tier');
    expect(labelFromKey('points')).toBe('Points');
    expect(labelFromKey('date_of_birth2')).toBe('Date of birth2');
  });

  it('keeps words in capitals', () => {
    expect(labelFromKey('VIP')).toBe('VIP');
    expect(labelFromKey('is_VIP_member')).toBe('Is VIP member');
  });
});
