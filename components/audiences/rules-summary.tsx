import type { Condition, DateValue, Group, LeafValue } from '@/lib/rules/parse';
import { parseRules, describeProblems } from '@/lib/rules/parse';

/** The stored rules as a sentence ("Country is United Kingdom and Number of orders ≥ 2"). */
export function RulesSummary({ rules }: { rules: unknown }) {
  const parsed = parseRules(rules);
  if (!parsed.ok) {
    return (
      <p className="text-sm text-red-700" role="alert">
        These rules are not valid: {describeProblems(parsed.problems)}. Edit the audience to fix them.
      </p>
    );
  }
  return (
    <p className="text-sm leading-6 text-slate-700" data-testid="rules-summary">
      {describeGroup(parsed.tree, true)}
    </p>
  );
}

function describeGroup(group: Group, top = false): string {
  const joined = group.rules.map((r) => (r.type === 'group' ? describeGroup(r) : describeCondition(r))).join(` ${group.combinator} `);
  const wrapped = top && !group.not ? joined : `(${joined})`;
  return group.not ? `not ${wrapped}` : wrapped;
}

function describeCondition(c: Condition): string {
  return [c.field.label, c.operator.label.replace(/N days/, `${value(c.value)} days`), c.operator.arity === 'days' ? '' : value(c.value)]
    .filter(Boolean)
    .join(' ');
}

function day(d: DateValue): string {
  return d.kind === 'day' ? d.day : d.iso;
}

function value(v: LeafValue): string {
  switch (v.kind) {
    case 'none':
      return '';
    case 'text':
      return `“${v.value}”`;
    case 'textList':
      return v.values.map((x) => `“${x}”`).join(', ');
    case 'number':
      return String(v.value);
    case 'numberPair':
      return `${v.low} and ${v.high}`;
    case 'date':
      return day(v.value);
    case 'datePair':
      return `${day(v.low)} and ${day(v.high)}`;
    case 'days':
      return String(v.days);
    case 'event':
      return `${v.count} times${v.days === null ? ' ever' : ` in the last ${v.days} days`}`;
  }
}
