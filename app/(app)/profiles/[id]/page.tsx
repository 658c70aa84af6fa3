import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { ProfilePins } from '@/components/pins/profile-pins';
import { DefinitionList } from '@/components/profiles/definition-list';
import { EventTable } from '@/components/profiles/event-table';
import { MergedFrom } from '@/components/profiles/merged-from';
import { MembershipHistory } from '@/components/profiles/membership-history';
import { SegmentTags } from '@/components/profiles/segment-tags';
import { formatDateTime, formatInt, formatMoney } from '@/components/format';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { getProfile, getProfileEvents, getProfileHistory, getProfileTags } from '@/lib/profiles/queries';
import { listPinsForProfile } from '@/lib/segments/pins';
import { listSegments } from '@/lib/segments/queries';
import { getProfileIdentities, getProfileMerges } from '@/lib/tracking/queries';
import { entityMetadata } from '../../entity-metadata';
import { parsePathId } from '@/lib/audiences/ids';

type Params = { params: Promise<{ id: string }> };

/** One read per request for the title and the page. */
const loadProfile = cache(getProfile);

export async function generateMetadata({ params }: Params) {
  return entityMetadata((await params).id, 'app.view', 'Profile', async (id) => {
    const profile = await loadProfile(id);
    return profile && `Customer ${profile.externalId}`;
  });
}

const yesNo = (v: boolean | null) => (v === null ? null : v ? 'yes' : 'no');

export default async function ProfilePage({ params }: Params) {
  const user = await requirePagePermission('app.view');
  // A number too large for the column would be a database error (500): anything but a plain id is not found.
  const id = parsePathId((await params).id) ?? 0;
  const profile = id > 0 ? await loadProfile(id) : null;
  if (!profile) notFound();
  const [tags, history, events] = await Promise.all([getProfileTags(id), getProfileHistory(id), getProfileEvents(id)]);
  const canPin = can(user.role, 'segment.pin');
  const [pins, segments, merges, identities] = await Promise.all([
    listPinsForProfile(id),
    canPin ? listSegments() : [],
    getProfileMerges(id),
    getProfileIdentities(id),
  ]);
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(' ');
  const traits = Object.entries(profile.traits ?? {});

  return (
    <>
      <PageHeader
        title={<span data-testid="profile-title">Customer {profile.externalId}</span>}
        description={name || profile.email || undefined}
        actions={
          <Link href="/profiles" className="text-sm text-brand-700 hover:underline">
            All profiles
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title={`Segments (${tags.length})`}>
          <SegmentTags tags={tags} pinnedIn={pins.filter((p) => p.mode === 'IN').map((p) => p.segmentId)} />
          <ProfilePins profileId={id} pins={pins} segments={segments} canPin={canPin} />
        </Card>
        <div className="grid gap-4 lg:grid-cols-2">
          <Card title="Attributes">
            <DefinitionList
              items={[
                ['Customer id', profile.externalId],
                ['Email', profile.email],
                ['Name', name || null],
                ['Country', profile.country],
                ['City', profile.city],
                ['Email consent', yesNo(profile.emailConsent)],
                ['Customer since', formatDateTime(profile.createdAt)],
                ['Updated', formatDateTime(profile.updatedAt)],
                ...traits.map(([k, v]): [string, string] => [`Trait: ${k}`, typeof v === 'string' ? v : JSON.stringify(v)]),
              ]}
            />
          </Card>
          <Card title="Metrics">
            <DefinitionList
              items={[
                ['Orders', formatInt(profile.orderCount)],
                ['Total spent', formatMoney(profile.totalSpent)],
                ['Average order value', profile.averageOrderValue === null ? null : formatMoney(profile.averageOrderValue)],
                ['Cancellations', formatInt(profile.cancellationCount)],
                ['First order', formatDateTime(profile.firstOrderAt)],
                ['Last order', formatDateTime(profile.lastOrderAt)],
                ['Last activity', formatDateTime(profile.lastActivityAt)],
              ]}
            />
          </Card>
        </div>
        {(merges.length > 0 || identities.length > 0) && (
          <Card title={merges.length > 0 ? `Merged from (${merges.length})` : 'Identities'}>
            <MergedFrom merges={merges} identities={identities} />
          </Card>
        )}
        <Card title="Segment history">
          <MembershipHistory changes={history} />
        </Card>
        <Card title="Recent events">
          <EventTable events={events} />
        </Card>
      </div>
    </>
  );
}
