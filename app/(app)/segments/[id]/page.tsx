import { notFound } from 'next/navigation';
import { cache } from 'react';
import { SegmentPins } from '@/components/pins/segment-pins';
import { ExplainPanel } from '@/components/rules/explain-panel';
import { RuleSummary } from '@/components/rules/rule-summary';
import { ChangeTable } from '@/components/segments/change-table';
import { EvaluationPending } from '@/components/segments/evaluation-pending';
import { formatAgo, formatDateTime, formatInt } from '@/components/format';
import { MemberTable } from '@/components/segments/member-table';
import { Pager, pageParam } from '@/components/segments/pager';
import { pausedNote } from '@/components/segments/paused-note';
import { SegmentCharts } from '@/components/segments/segment-charts';
import { SegmentStatusBadge } from '@/components/segments/status-badge';
import { SegmentStatusToggle } from '@/components/segments/status-toggle';
import { ButtonLink } from '@/components/ui/button';
import { Card, Stat } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { entityMetadata } from '../../entity-metadata';
import { listPinsForSegment } from '@/lib/segments/pins';
import { getPausedState } from '@/lib/segments/paused-state';
import { getSegment, listSegmentChanges, listSegmentMembers, segmentHistory } from '@/lib/segments/queries';
import { parsePathId } from '@/lib/audiences/ids';

type Params = { params: Promise<{ id: string }> };

/** One read per request for the title and the page. */
const loadSegment = cache(getSegment);

export async function generateMetadata({ params }: Params) {
  return entityMetadata((await params).id, 'app.view', 'Segment', async (id) => (await loadSegment(id))?.name);
}

export default async function SegmentPage({ params, searchParams }: Params & { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePagePermission('app.view');
  // A number too large for the column would be a database error (500): anything but a plain id is not found.
  const id = parsePathId((await params).id) ?? 0;
  const segment = id > 0 ? await loadSegment(id) : null;
  if (!segment) notFound();
  const search = await searchParams;
  const page = pageParam(search.page);
  const changesPage = pageParam(search.changesPage);
  const [members, history, changes] = await Promise.all([listSegmentMembers(id, page), segmentHistory(id, 500), listSegmentChanges(id, changesPage)]);
  // Each pager keeps the other's page, so paging one list does not reset the other.
  const pages = { page: page > 1 ? String(members.page) : undefined, changesPage: changesPage > 1 ? String(changes.page) : undefined };
  const pins = await listPinsForSegment(id);
  const canEdit = can(user.role, 'segment.edit');
  const paused =
    segment.status === 'PAUSED'
      ? pausedNote({ ...(await getPausedState(id)), evaluatedAt: segment.lastEvaluatedAt, currentVersion: segment.version, members: segment.memberCount })
      : null;

  return (
    <>
      <PageHeader
        title={<span data-testid="segment-title">{segment.name}</span>}
        description={segment.description || undefined}
        actions={
          canEdit && (
            <>
              <SegmentStatusToggle id={segment.id} status={segment.status} />
              <ButtonLink href={`/segments/${segment.id}/edit`} variant="secondary" data-testid="edit-segment">
                Edit
              </ButtonLink>
            </>
          )
        }
      />
      <div className="space-y-6">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Stat label="Members" value={<span data-testid="member-count">{formatInt(segment.memberCount)}</span>} />
          <Stat label="Status" value={<SegmentStatusBadge status={segment.status} pending={segment.evaluationPending} />} hint={segment.status === 'PAUSED' ? 'Not re-evaluated; tags stay as they were.' : undefined} />
          <Stat label="Last evaluated" value={<span className="text-base">{formatAgo(segment.lastEvaluatedAt)}</span>} hint={formatDateTime(segment.lastEvaluatedAt)} />
          <Stat label="Definition" value={`v${segment.version}`} hint={`Updated ${formatDateTime(segment.updatedAt)}${segment.createdByName ? ` · created by ${segment.createdByName}` : ''}`} />
        </div>
        {segment.evaluationPending && <EvaluationPending id={segment.id} />}
        {paused && (
          <div role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-amber-200" data-testid="paused-stale">
            {paused}
          </div>
        )}
        {segment.lastError && (
          <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200" data-testid="segment-error">
            The last evaluation failed: {segment.lastError}
          </div>
        )}
        <Card title="Definition">
          <RuleSummary rules={segment.rules} />
          <div className="mt-4 border-t border-slate-100 pt-4">
            <ExplainPanel rules={segment.rules} segmentId={segment.id} />
          </div>
        </Card>
        <SegmentCharts history={history} />
        <div id="members" className="scroll-mt-4">
          <Card title="Members">
            <MemberTable members={members.rows} />
            <Pager page={members.page} pageCount={members.pageCount} total={members.total} basePath={`/segments/${segment.id}`} params={pages} noun="member" anchor="members" label="Member pages" />
          </Card>
        </div>
        <Card title={`Pinned profiles (${pins.length})`}>
          <SegmentPins pins={pins} paused={segment.status === 'PAUSED'} canPin={can(user.role, 'segment.pin')} />
        </Card>
        <div id="changes" className="scroll-mt-4">
          <Card title="Recent changes">
            <ChangeTable changes={changes.rows} />
            <Pager
              page={changes.page}
              pageCount={changes.pageCount}
              total={changes.total}
              basePath={`/segments/${segment.id}`}
              params={pages}
              pageKey="changesPage"
              noun="change"
              anchor="changes"
              label="Change pages"
              testId="changes-pager"
            />
          </Card>
        </div>
      </div>
    </>
  );
}
