'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { unpinProfileAction } from '@/app/(app)/pins/actions';
import { Timestamp } from '@/components/account/timestamp';
import { Button } from '@/components/ui/button';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { PinMode } from '@/lib/segments/pin-schema';
import { PinModeBadge, PinNotInEffect } from './pin-mode-badge';
import { pinOutcomeMessage } from './pin-outcome';

/** One pin as a row: `label`/`href` name the other side (the profile on a segment page, the segment on a profile page). */
export interface PinView {
  segmentId: number;
  profileId: number;
  label: string;
  href: string;
  mode: PinMode;
  reason: string;
  createdByName: string | null;
  createdAt: Date;
  inEffect: boolean;
  paused: boolean;
}

/** The pins with their reasons; marketers and admins can lift one (the action checks the role again). */
export function PinTable({ pins, labelHeader, canPin, empty }: { pins: PinView[]; labelHeader: string; canPin: boolean; empty: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [busyKey, setBusyKey] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ error: boolean; text: string } | null>(null);

  function unpin(pin: PinView) {
    setBusyKey(`${pin.segmentId}:${pin.profileId}`);
    start(async () => {
      const result = await unpinProfileAction({ segmentId: pin.segmentId, profileId: pin.profileId });
      setNotice(result.ok ? { error: false, text: pinOutcomeMessage('unpin', result.data.evaluation) } : { error: true, text: result.error });
      setBusyKey(null);
      router.refresh();
    });
  }

  const columns = canPin ? 6 : 5;
  return (
    <div className="space-y-2">
      {notice && (
        <p role={notice.error ? 'alert' : 'status'} className={notice.error ? 'text-sm text-red-700' : 'text-sm text-slate-600'} data-testid="unpin-notice">
          {notice.text}
        </p>
      )}
      <Table label="Pins">
        <thead>
          <tr>
            <Th>{labelHeader}</Th>
            <Th>Pin</Th>
            <Th>Reason</Th>
            <Th>By</Th>
            <Th>When</Th>
            {canPin && <Th className="sr-only">Actions</Th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {pins.length === 0 && <EmptyRow colSpan={columns}>{empty}</EmptyRow>}
          {pins.map((pin) => (
            <tr key={`${pin.segmentId}:${pin.profileId}`} data-testid="pin-row">
              <Td>
                <Link href={pin.href} className="font-medium text-brand-700 hover:underline">
                  {pin.label}
                </Link>
              </Td>
              <Td>
                <span className="flex items-center gap-1.5">
                  <PinModeBadge mode={pin.mode} />
                  {!pin.inEffect && <PinNotInEffect paused={pin.paused} />}
                </span>
              </Td>
              <Td className="max-w-md whitespace-normal break-words">{pin.reason}</Td>
              <Td>{pin.createdByName ?? <span className="text-slate-400">—</span>}</Td>
              <Td>
                <Timestamp value={pin.createdAt} />
              </Td>
              {canPin && (
                <Td className="text-right">
                  <Button variant="secondary" disabled={pending} onClick={() => unpin(pin)} data-testid="unpin">
                    {busyKey === `${pin.segmentId}:${pin.profileId}` ? 'Unpinning…' : 'Unpin'}
                  </Button>
                </Td>
              )}
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
