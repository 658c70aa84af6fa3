'use client';

import { useCallback, useMemo, type CSSProperties } from 'react';
import { QueryBuilder, type Classnames, type RuleGroupType } from 'react-querybuilder';
import { createCatalog, type TraitDefinition } from '@/lib/rules/fields';
import { BUILDER_COMBINATORS, DEFAULT_FIELD, builderFields, defaultValueIn, fitValues, withIds, type RuleBuilderContext } from './builder-config';
import { RuleValueEditor } from './value-editor';

// For client components. Server components import these from './builder-config' (this module is 'use client').
export { defaultRuleGroup, emptyRuleGroup } from './builder-config';
export type { RuleGroupType } from 'react-querybuilder';

const button =
  'inline-flex items-center rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset transition disabled:cursor-not-allowed disabled:opacity-50';

const select =
  'rounded-md border-0 bg-white py-1 pl-2 pr-7 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 focus:outline-none focus:ring-2 focus:ring-brand-500 disabled:bg-slate-50';

const classnames: Partial<Classnames> = {
  queryBuilder: 'queryBuilder-branches text-sm',
  header: 'flex flex-wrap items-center gap-2',
  body: '',
  rule: 'flex-wrap rounded-md bg-white px-2 py-1.5 shadow-sm ring-1 ring-slate-200',
  combinators: `${select} font-semibold`,
  fields: `${select} w-52`,
  // Wide enough for the longest operator, "day and month within the next".
  operators: `${select} w-60`,
  addRule: `${button} bg-white text-brand-700 ring-brand-100 hover:bg-brand-50`,
  addGroup: `${button} bg-white text-slate-700 ring-slate-300 hover:bg-slate-50`,
  removeRule: `${button} ml-auto text-slate-500 ring-transparent hover:bg-red-50 hover:text-red-700`,
  removeGroup: `${button} ml-auto text-slate-500 ring-transparent hover:bg-red-50 hover:text-red-700`,
  notToggle: 'inline-flex items-center gap-1 text-xs font-medium uppercase tracking-wide text-slate-600 [&_input]:accent-brand-600',
};

const translations = {
  addRule: { label: '+ Condition', title: 'Add a condition' },
  addGroup: { label: '+ Group', title: 'Add a group of conditions' },
  removeRule: { label: 'Remove', title: 'Remove this condition' },
  removeGroup: { label: 'Remove group', title: 'Remove this group' },
  notToggle: { label: 'Not', title: 'Match profiles for which this group is false' },
  combinators: { title: 'All conditions (AND) or any condition (OR)' },
};

// The stock stylesheet reads these variables; setting them here keeps it in the app's palette.
const palette = {
  '--rqb-spacing': '0.5rem',
  '--rqb-background-color': 'rgb(248 250 252)',
  '--rqb-border-color': 'rgb(203 213 225)',
  '--rqb-border-radius': '0.5rem',
  '--rqb-branch-color': 'rgb(148 163 184)',
} as CSSProperties;

const NO_TRAITS: TraitDefinition[] = [];

/**
 * The visual rule builder for segments and audiences: nested AND/OR groups with NOT, over the
 * allow-listed fields and operators and the registered custom traits (`traits`, read on the server).
 * Controlled: `value` in, every edit out through `onChange`.
 * Rules without ids (as stored) get position-based ids, so server and browser renders match.
 */
export function RuleBuilder({
  value,
  onChange,
  disabled,
  traits = NO_TRAITS,
}: {
  value: RuleGroupType;
  onChange: (v: RuleGroupType) => void;
  disabled?: boolean;
  traits?: TraitDefinition[];
}) {
  const catalog = useMemo(() => createCatalog(traits), [traits]);
  const fields = useMemo(() => builderFields(catalog), [catalog]);
  const context = useMemo((): RuleBuilderContext => ({ catalog }), [catalog]);
  const getDefaultValue = useCallback((rule: { field: string; operator: string }) => defaultValueIn(catalog, rule), [catalog]);
  return (
    <div style={palette} data-testid="rule-builder">
      <QueryBuilder
        query={withIds(value)}
        onQueryChange={(q) => onChange(fitValues(q, catalog))}
        fields={fields}
        combinators={BUILDER_COMBINATORS}
        getDefaultField={DEFAULT_FIELD}
        getDefaultValue={getDefaultValue}
        context={context}
        controlElements={{ valueEditor: RuleValueEditor }}
        controlClassnames={classnames}
        translations={translations}
        showNotToggle
        listsAsArrays
        resetOnFieldChange
        addRuleToNewGroups
        disabled={disabled}
      />
    </div>
  );
}
