import { describe, expect, it } from 'vitest';
import { withRuleIds } from './with-rule-ids';

describe('withRuleIds', () => {
  it('gives missing ids deterministic path ids and keeps existing ones', () => {
    const rules = {
      combinator: 'or',
      rules: [{ field: 'country', operator: '=', value: 'UK' }, { id: 'keep', combinator: 'and', rules: [{ field: 'orderCount', operator: '>', value: 1 }] }],
    };
    const first = withRuleIds(rules);
    expect(first).toEqual({
      id: 'r',
      combinator: 'or',
      rules: [
        { id: 'r-0', field: 'country', operator: '=', value: 'UK' },
        { id: 'keep', combinator: 'and', rules: [{ id: 'r-1-0', field: 'orderCount', operator: '>', value: 1 }] },
      ],
    });
    expect(withRuleIds(rules)).toEqual(first); // same input, same ids: server and browser agree
  });

  it('turns junk into an empty group rather than crashing the editor', () => {
    expect(withRuleIds(null)).toEqual({ id: 'r', combinator: 'and', rules: [] });
  });
});
