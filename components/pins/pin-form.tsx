'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { pinProfileAction } from '@/app/(app)/pins/actions';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/form';
import { PIN_REASON_MAX, type PinMode } from '@/lib/segments/pin-schema';
import { pinOutcomeMessage } from './pin-outcome';

export interface PinnableSegment {
  id: number;
  name: string;
  paused: boolean;
  pinned: PinMode | null;
}

/** "Pin this profile: [segment] [in|out] [reason] Pin". Pinning where a pin exists replaces it. */
export function PinForm({ profileId, segments }: { profileId: number; segments: PinnableSegment[] }) {
  const router = useRouter();
  const [segmentId, setSegmentId] = useState(segments[0]?.id ?? 0);
  const [mode, setMode] = useState<PinMode>('IN');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<{ error: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();

  if (segments.length === 0) return <p className="text-sm text-slate-500">There are no segments to pin this profile to.</p>;

  function submit(event: FormEvent) {
    event.preventDefault();
    start(async () => {
      const result = await pinProfileAction({ segmentId, profileId, mode, reason });
      if (!result.ok) {
        setNotice({ error: true, text: Object.values(result.fieldErrors ?? {})[0]?.[0] ?? result.error });
        return;
      }
      setNotice({ error: false, text: pinOutcomeMessage('pin', result.data.evaluation) });
      if (result.data.changed) setReason('');
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} className="space-y-1.5" data-testid="pin-form">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm text-slate-700">Pin this profile:</span>
        {/* Wrappers size the fields: the form primitives are full width. */}
        <div className="w-72 max-w-full">
          <Select aria-label="Segment" value={segmentId} onChange={(e) => setSegmentId(Number(e.target.value))} data-testid="pin-segment">
            {segments.map((s) => (
              <option key={s.id} value={s.id}>
                {`${s.name}${s.paused ? ' (paused)' : ''}${s.pinned ? ` · pinned ${s.pinned.toLowerCase()}` : ''}`}
              </option>
            ))}
          </Select>
        </div>
        <div className="w-20">
          <Select aria-label="In or out" value={mode} onChange={(e) => setMode(e.target.value as PinMode)} data-testid="pin-mode">
            <option value="IN">in</option>
            <option value="OUT">out</option>
          </Select>
        </div>
        <div className="min-w-64 flex-1">
          <Input
            aria-label="Reason"
            placeholder="Reason (required)"
            value={reason}
            maxLength={PIN_REASON_MAX}
            required
            onChange={(e) => setReason(e.target.value)}
            data-testid="pin-reason"
          />
        </div>
        <Button type="submit" disabled={pending} data-testid="pin-submit">
          {pending ? 'Pinning…' : 'Pin'}
        </Button>
      </div>
      {notice && (
        <p role={notice.error ? 'alert' : 'status'} className={notice.error ? 'text-sm text-red-700' : 'text-sm text-slate-600'} data-testid="pin-notice">
          {notice.text}
        </p>
      )}
    </form>
  );
}
