'use client';

import clsx from 'clsx';
import { formatCount } from '../format';
import { useRuleCount } from './use-rule-count';

/** The builder's live answer: "1,494 matching profiles", or what is wrong with the rules. */
export function LiveCount({ rules }: { rules: unknown }) {
  const { data, error, isFetching, isPending } = useRuleCount(rules);
  const state = isPending ? 'loading' : data ? data.kind : 'error';
  return (
    <div
      data-testid="live-count"
      data-state={state}
      data-count={data?.kind === 'count' ? data.count : undefined}
      aria-live="polite"
      className={clsx('text-sm transition-opacity', isFetching && !isPending && 'opacity-60')}
    >
      {isPending && <span className="text-slate-500">Counting…</span>}
      {data?.kind === 'count' && <span className="font-semibold tabular-nums text-slate-900">{formatCount(data.count, 'matching profile')}</span>}
      {data?.kind === 'invalid' && <InvalidRules problems={data.problems.map((p) => p.message)} />}
      {!isPending && !data && error && <span className="text-red-700">Could not count: {error.message}</span>}
    </div>
  );
}

function InvalidRules({ problems }: { problems: string[] }) {
  if (problems.length === 1 && problems[0] === 'add at least one condition') {
    return <span className="text-slate-500">Add a condition to see how many profiles match.</span>;
  }
  return (
    <div className="text-amber-800" role="status">
      <span className="font-medium">Not counted yet: </span>
      {problems.length === 1 ? (
        problems[0]
      ) : (
        <ul className="mt-1 list-disc pl-5">
          {problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
