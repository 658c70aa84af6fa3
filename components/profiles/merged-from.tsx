import { formatCount, formatDateTime } from '@/components/format';
import type { ProfileIdentityItem, ProfileMergeItem } from '@/lib/tracking/queries';

const KIND_LABEL: Record<ProfileIdentityItem['kind'], string> = { anonymous: 'Anonymous id', user: 'User id', email: 'E-mail' };

/** The identifiers a profile is also known by, and the profiles merged into it (tracking API, docs/tracking.md). */
export function MergedFrom({ merges, identities }: { merges: ProfileMergeItem[]; identities: ProfileIdentityItem[] }) {
  return (
    <div className="space-y-4 text-sm" data-testid="merged-from">
      {merges.length === 0 ? (
        <p className="text-slate-500">No other profile was merged into this one.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {merges.map((m) => (
            <li key={m.id} className="py-2" data-testid="merge">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <span className="font-medium text-slate-900 break-all">
                  {m.details.anonymous ? 'An anonymous visitor' : `Customer ${m.mergedExternalId}`}
                  {m.mergedEmail && <span className="font-normal text-slate-500"> ({m.mergedEmail})</span>}
                </span>
                <span className="text-xs text-slate-500">{formatDateTime(m.at)}</span>
              </div>
              <div className="text-xs text-slate-500">
                {m.reason === 'alias' ? 'by an alias call' : 'by an identify call'} <code className="break-all">{m.messageId}</code>
                {' · moved '}
                {formatCount(m.details.events ?? 0, 'event')}, {formatCount(m.details.identities ?? 0, 'identifier')}, {formatCount(m.details.pins ?? 0, 'pin')},{' '}
                {formatCount(m.details.memberships ?? 0, 'segment tag')}
              </div>
            </li>
          ))}
        </ul>
      )}
      {identities.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Also known as</h3>
          <ul className="space-y-0.5">
            {identities.map((i) => (
              <li key={`${i.kind}:${i.value}`} className="break-all">
                <span className="text-slate-500">{KIND_LABEL[i.kind]}:</span> {i.value}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
