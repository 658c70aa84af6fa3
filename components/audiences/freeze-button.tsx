'use client';

import { Snowflake } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { freezeAudienceAction } from '@/app/(app)/audiences/actions';
import { Button } from '@/components/ui/button';
import { formatCount } from '../format';
import { freezeMessageStillHolds } from './freeze-message';

/**
 * Freezes the current definition into the next version and says which number it got.
 * `versionNumbers` (the audience's versions as listed) lets the message go once it is out of date.
 */
export function FreezeButton({ audienceId, versionNumbers }: { audienceId: number; versionNumbers: number[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string; number?: number } | null>(null);
  const [shownVersions, setShownVersions] = useState(versionNumbers);
  if (shownVersions.join() !== versionNumbers.join()) {
    // Adjusting state while rendering (not in an effect) so a stale message never paints.
    setShownVersions(versionNumbers);
    if (message && !freezeMessageStillHolds(shownVersions, versionNumbers, message.number)) setMessage(null);
  }

  function freeze() {
    setMessage(null);
    startTransition(async () => {
      const result = await freezeAudienceAction({ audienceId });
      if (!result.ok) {
        setMessage({ ok: false, text: result.error });
        return;
      }
      setMessage({ ok: true, number: result.data.number, text: `Version ${result.data.number} frozen with ${formatCount(result.data.rowCount, 'row')}.` });
      router.refresh();
    });
  }

  return (
    <div className="flex items-center gap-3">
      {message && (
        <span role="status" data-testid="freeze-result" className={message.ok ? 'text-sm text-emerald-700' : 'text-sm text-red-700'}>
          {message.text}
        </span>
      )}
      <Button onClick={freeze} disabled={pending} data-testid="freeze-button">
        <Snowflake size={16} />
        {pending ? 'Freezing…' : 'Freeze snapshot'}
      </Button>
    </div>
  );
}
