import type { SegmentListItem } from '@/lib/segments/queries';
import type { ProfilePinItem } from '@/lib/segments/pins';
import { PinForm } from './pin-form';
import { PinTable } from './pin-table';

/** On a profile page: the profile's pins, and for marketers and admins a form to pin it in or out of a segment. */
export function ProfilePins({ profileId, pins, segments, canPin }: { profileId: number; pins: ProfilePinItem[]; segments: SegmentListItem[]; canPin: boolean }) {
  const pinned = new Map(pins.map((p) => [p.segmentId, p.mode]));
  return (
    <div className="space-y-3 border-t border-slate-100 pt-3" data-testid="profile-pins">
      <h3 className="text-sm font-medium text-slate-700">Pins</h3>
      {canPin && (
        <PinForm
          profileId={profileId}
          segments={segments.map((s) => ({ id: s.id, name: s.name, paused: s.status === 'PAUSED', pinned: pinned.get(s.id) ?? null }))}
        />
      )}
      <PinTable
        labelHeader="Segment"
        canPin={canPin}
        empty="Not pinned in or out of any segment."
        pins={pins.map((p) => ({ ...p, label: p.segmentName, href: `/segments/${p.segmentId}`, paused: p.segmentStatus === 'PAUSED' }))}
      />
    </div>
  );
}
