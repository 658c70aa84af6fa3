import Link from 'next/link';
import { RunEvaluationButton } from '@/components/segments/run-evaluation-button';
import { SegmentStatusBadge } from '@/components/segments/status-badge';
import { formatAgo, formatDateTime, formatInt } from '@/components/format';
import { ButtonLink } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { listSegments } from '@/lib/segments/queries';

export const metadata = { title: 'Segments' };

export default async function SegmentsPage() {
  const user = await requirePagePermission('app.view');
  const segments = await listSegments();
  const canEdit = can(user.role, 'segment.edit');
  return (
    <>
      <PageHeader
        title="Segments"
        description="Living groups of customers. Each segment is re-evaluated on a schedule, when its data changes and when its definition changes; membership is a tag on the profile."
        actions={
          <>
            {can(user.role, 'segment.evaluate') && <RunEvaluationButton />}
            {canEdit && (
              <ButtonLink href="/segments/new" data-testid="new-segment">
                New segment
              </ButtonLink>
            )}
          </>
        }
      />
      <Table label="Segments">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Status</Th>
            <Th className="text-right">Members</Th>
            <Th>Last evaluated</Th>
            <Th>Last error</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {segments.length === 0 && <EmptyRow colSpan={5}>No segments yet.{canEdit && ' Create the first one with “New segment”.'}</EmptyRow>}
          {segments.map((s) => (
            <tr key={s.id} data-testid="segment-row">
              <Td className="whitespace-normal">
                <Link href={`/segments/${s.id}`} className="font-medium text-brand-700 hover:underline">
                  {s.name}
                </Link>
                {s.description && <div className="max-w-md truncate text-xs text-slate-500">{s.description}</div>}
              </Td>
              <Td>
                <SegmentStatusBadge status={s.status} pending={s.evaluationPending} />
              </Td>
              <Td className="text-right tabular-nums" data-testid="segment-members">
                {formatInt(s.memberCount)}
              </Td>
              <Td title={formatDateTime(s.lastEvaluatedAt)}>{formatAgo(s.lastEvaluatedAt)}</Td>
              <Td className="max-w-xs truncate text-red-700" title={s.lastError ?? undefined}>
                {s.lastError ?? ''}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
