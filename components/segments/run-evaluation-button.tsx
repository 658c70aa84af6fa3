'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { runEvaluationAction, type EvaluationSummary } from '@/app/(app)/segments/actions';
import { formatCount } from '@/components/format';
import { Button } from '@/components/ui/button';

type Outcome = { kind: 'done'; summary: EvaluationSummary } | { kind: 'error'; message: string };

function describe(summary: EvaluationSummary): string {
  if (summary.status === 'busy') {
    const since = summary.startedAt ? ` (started ${new Date(summary.startedAt).toISOString().slice(11, 19)} UTC)` : '';
    return `Another evaluation run${summary.runId ? ` #${summary.runId}` : ''} is in progress${since}; it re-tags every active segment. Try again when it has finished.`;
  }
  const failed = summary.failed ? `, ${summary.failed} failed` : '';
  return `Run #${summary.runId}: ${formatCount(summary.segments, 'segment')}, ${summary.entered} entered, ${summary.left} left${failed} (${summary.ms} ms).`;
}

/** "Run evaluation now": re-evaluates every active segment in one run and says what happened. */
export function RunEvaluationButton() {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [running, start] = useTransition();
  const tone = outcome?.kind === 'error' ? 'text-red-700' : outcome?.summary.status === 'busy' ? 'text-amber-800' : 'text-slate-600';
  return (
    <span className="flex flex-wrap items-center justify-end gap-2">
      {outcome && (
        <span className={`max-w-md text-right text-sm ${tone}`} role="status" data-testid="run-result" data-status={outcome.kind === 'error' ? 'error' : outcome.summary.status}>
          {outcome.kind === 'error' ? outcome.message : describe(outcome.summary)}
        </span>
      )}
      <Button
        data-testid="run-evaluation"
        disabled={running}
        onClick={() =>
          start(async () => {
            const result = await runEvaluationAction({});
            setOutcome(result.ok ? { kind: 'done', summary: result.data } : { kind: 'error', message: result.error });
            router.refresh();
          })
        }
      >
        {running ? 'Evaluating…' : 'Run evaluation now'}
      </Button>
    </span>
  );
}
