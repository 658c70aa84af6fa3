import type { RuleGroupType } from 'react-querybuilder';

/**
 * Gives every group and rule without an id a deterministic one from its path. The builder
 * otherwise invents random ids during render, which differ between the server render and the
 * browser (a hydration mismatch); rules saved by the builder keep their own ids.
 */
export function withRuleIds(input: unknown, path = 'r'): RuleGroupType {
  const group = (input && typeof input === 'object' ? input : { combinator: 'and', rules: [] }) as Record<string, unknown>;
  const rules = Array.isArray(group.rules) ? group.rules : [];
  return {
    ...group,
    id: typeof group.id === 'string' ? group.id : path,
    combinator: typeof group.combinator === 'string' ? group.combinator : 'and',
    rules: rules.map((child: unknown, i) => {
      const childPath = `${path}-${i}`;
      if (child && typeof child === 'object' && 'rules' in child) return withRuleIds(child, childPath);
      const rule = (child ?? {}) as Record<string, unknown>;
      return { ...rule, id: typeof rule.id === 'string' ? rule.id : childPath } as RuleGroupType['rules'][number];
    }),
  } as RuleGroupType;
}
