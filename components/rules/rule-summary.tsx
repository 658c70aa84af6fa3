import { listSegments } from '@/lib/segments/queries';
import { loadFieldCatalog } from '@/lib/traits/registry';
import { describeRules } from '@/lib/rules/describe';

/** The stored definition in words, or what is wrong with it (a server component: it looks up segment names). */
export async function RuleSummary({ rules }: { rules: unknown }) {
  const refersToSegments = JSON.stringify(rules ?? null).includes('"field":"segment"');
  const names = refersToSegments ? new Map((await listSegments()).map((s) => [s.id, s.name])) : undefined;
  const description = describeRules(rules, { segmentNames: names, catalog: await loadFieldCatalog() });
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
