import type { SegmentPinItem } from '@/lib/segments/pins';
import { PinTable } from './pin-table';

/** The "Pinned profiles" list of a segment page. */
export function SegmentPins({ pins, paused, canPin }: { pins: SegmentPinItem[]; paused: boolean; canPin: boolean }) {
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">
        Pinned profiles stay in (or out of) this segment whatever the rules say, until the pin is lifted. Pin a profile from its profile page.
      </p>
      <PinTable
        labelHeader="Customer id"
        canPin={canPin}
        empty="No profile is pinned in or out of this segment."
        pins={pins.map((p) => ({ ...p, label: p.externalId, href: `/profiles/${p.profileId}`, paused }))}
      />
    </div>
  );
}
