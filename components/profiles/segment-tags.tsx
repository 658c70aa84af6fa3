import Link from 'next/link';
import { formatDateTime } from '@/components/format';
import type { ProfileTag } from '@/lib/profiles/queries';

/** The profile's current segment tags, each with the moment it was gained; `pinnedIn` marks those held by a pin. */
export function SegmentTags({ tags, pinnedIn = [] }: { tags: ProfileTag[]; pinnedIn?: number[] }) {
  if (tags.length === 0) return <p className="text-sm text-slate-500">In no segment right now.</p>;
  return (
    <ul className="flex flex-wrap gap-2" data-testid="profile-tags">
      {tags.map((t) => (
        <li key={t.segmentId}>
          <Link
            href={`/segments/${t.segmentId}`}
            className="inline-flex flex-col rounded-md bg-brand-50 px-2.5 py-1.5 text-sm ring-1 ring-brand-100 hover:bg-brand-100"
            data-testid="profile-tag"
          >
            <span className="font-medium text-brand-700">
              {t.segmentName}
              {t.status === 'PAUSED' && <span className="ml-1 text-xs font-normal text-slate-500">(paused)</span>}
              {pinnedIn.includes(t.segmentId) && (
                <span className="ml-1.5 rounded-full bg-white px-1.5 text-xs font-normal text-brand-700 ring-1 ring-brand-200" data-testid="pinned-badge">
                  pinned
                </span>
              )}
            </span>
            <span className="text-xs text-slate-500">since {formatDateTime(t.enteredAt)}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
