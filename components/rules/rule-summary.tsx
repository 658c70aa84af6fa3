import { describeRules } from './describe';

/** The stored definition in words, or what is wrong with it. */
export function RuleSummary({ rules }: { rules: unknown }) {
  const description = describeRules(rules);
  if (!description.ok) {
    return (
      <p className="text-sm text-red-700" role="alert" data-testid="rules-summary">
        These rules are not valid: {description.message}.
      </p>
    );
  }
  return (
    <p className="text-sm leading-6 text-slate-800" data-testid="rules-summary">
      {description.text}
    </p>
  );
}
