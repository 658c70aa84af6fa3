import { describe, expect, it } from 'vitest';
import { findField } from '../rules/fields';
import { parseRules } from '../rules/parse';
import { DEMO_AUDIENCES, DEMO_SEGMENTS } from './seed';

describe('demo definitions', () => {
  it.each([...DEMO_SEGMENTS, ...DEMO_AUDIENCES].map((d) => [d.name, d] as const))('%s: the rule parser accepts its rules', (_name, d) => {
    const parsed = parseRules(d.rules);
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });

  it('has at least six segments, with unique names, including the ones the product promises', () => {
    const names = DEMO_SEGMENTS.map((s) => s.name);
    expect(names.length).toBeGreaterThanOrEqual(6);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['One-time purchasers', 'Repeat customers', 'Lapsed loyal customers']));
  });

  it('exports only columns that are profile fields', () => {
    for (const a of DEMO_AUDIENCES) {
      expect(a.columns.length).toBeGreaterThan(0);
      for (const key of a.columns) expect(findField(key)?.sql, key).toBeTruthy();
    }
  });
});
