import { describe, expect, it } from 'vitest';
import { editDistance, firstUnknownItem, isKnownValue, listOptions, replaceItem, suggestValues } from './value-suggestions';

const COUNTRIES = [
  { value: 'United Kingdom', count: 3950 },
  { value: 'Germany', count: 95 },
  { value: 'France', count: 87 },
  { value: 'United Arab Emirates', count: 2 },
  { value: 'EIRE', count: 3 },
  { value: 'USA', count: 4 },
];

describe('suggestValues', () => {
  it('offers United Kingdom for a typo', () => {
    expect(suggestValues('Untied Kingdom', COUNTRIES, 'country')[0]).toBe('United Kingdom');
    expect(suggestValues('united kingdon', COUNTRIES, 'country')).toEqual(['United Kingdom']);
  });

  it('leads from the usual name to the one the data uses', () => {
    expect(suggestValues('Ireland', COUNTRIES, 'country')).toEqual(['EIRE']);
    expect(suggestValues('United States', COUNTRIES, 'country')[0]).toBe('USA');
  });

  it('completes a fragment, the most common value first', () => {
    expect(suggestValues('unit', COUNTRIES, 'country')).toEqual(['United Kingdom', 'United Arab Emirates']);
    expect(suggestValues('ire', COUNTRIES, 'country')).toEqual(['EIRE']);
  });

  it('says nothing for a known value (in any case), a blank, or something far from every value', () => {
    expect(suggestValues('united kingdom', COUNTRIES, 'country')).toEqual([]);
    expect(suggestValues('  ', COUNTRIES, 'country')).toEqual([]);
    expect(suggestValues('Atlantis', COUNTRIES, 'country')).toEqual([]);
  });

  it('does not offer an alias the data does not have', () => {
    expect(suggestValues('Holland', COUNTRIES, 'country')).toEqual([]);
  });
});

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('untied', 'united')).toBe(1);
    expect(editDistance('france', 'frances')).toBe(1);
    expect(editDistance('', 'usa')).toBe(3);
  });
});

describe('list value help', () => {
  it('offers the remaining values after what was typed', () => {
    const options = listOptions('France, Germ', COUNTRIES).map((o) => o.value);
    expect(options).toContain('France, Germany');
    expect(options).not.toContain('France, France');
    expect(listOptions('', COUNTRIES)[0]).toEqual({ value: 'United Kingdom', count: 3950 });
  });

  it('finds the first unknown item and replaces it', () => {
    expect(isKnownValue('eire', COUNTRIES)).toBe(true);
    expect(firstUnknownItem('France, Untied Kingdom, Germany', COUNTRIES)).toEqual({ index: 1, item: 'Untied Kingdom' });
    expect(firstUnknownItem('France, EIRE', COUNTRIES)).toBeNull();
    expect(replaceItem('France, Untied Kingdom, Germany', 1, 'United Kingdom')).toBe('France, United Kingdom, Germany');
  });
});
