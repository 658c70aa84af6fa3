'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { setSegmentStatusAction } from '@/app/(app)/segments/actions';
import { Button } from '@/components/ui/button';

/** Pause (tags stay as they are, no re-evaluation) or resume (re-evaluated at once). */
export function SegmentStatusToggle({ id, status }: { id: number; status: 'ACTIVE' | 'PAUSED' }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const next = status === 'ACTIVE' ? 'PAUSED' : 'ACTIVE';
  return (
    <span className="flex items-center gap-2">
      {error && (
        <span className="text-sm text-red-700" role="alert">
          {error}
        </span>
      )}
      <Button
        variant="secondary"
        data-testid={status === 'ACTIVE' ? 'pause-segment' : 'resume-segment'}
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await setSegmentStatusAction({ id, status: next });
            setError(result.ok ? null : result.error);
            router.refresh();
          })
        }
      >
        {pending ? 'Working…' : status === 'ACTIVE' ? 'Pause' : 'Resume'}
      </Button>
    </span>
  );
}
