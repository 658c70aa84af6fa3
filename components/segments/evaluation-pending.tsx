'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export const segmentKeys = {
  all: ['segments'] as const,
  summary: (id: number) => [...segmentKeys.all, id, 'summary'] as const,
};

interface SegmentSummary {
  evaluationPending: boolean;
  memberCount: number;
}

/** While a definition change waits for the next run, polls the segment and refreshes the page once it has been evaluated. */
export function EvaluationPending({ id }: { id: number }) {
  const router = useRouter();
  const { data } = useQuery({
    queryKey: segmentKeys.summary(id),
    queryFn: async (): Promise<SegmentSummary> => {
      const response = await fetch(`/api/segments/${id}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    },
    refetchInterval: (query) => (query.state.data?.evaluationPending === false ? false : 5_000),
  });
  const done = data?.evaluationPending === false;
  useEffect(() => {
    if (done) router.refresh();
  }, [done, router]);
  return (
    <div className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-amber-200" role="status" data-testid="evaluation-pending">
      Evaluation pending: the definition changed while another run was in progress. The members below are from the previous
      evaluation; the next run re-tags this segment.
    </div>
  );
}
