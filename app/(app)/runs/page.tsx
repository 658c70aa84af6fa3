import { formatDateTime, formatDuration, formatInt, runTriggerLabel } from '@/components/format';
import { RunEvaluationButton } from '@/components/segments/run-evaluation-button';
import { RealtimeCard } from '@/components/segments/realtime-card';
import { RunStatusBadge } from '@/components/segments/status-badge';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { listRuns, realtimeActivity } from '@/lib/segments/queries';

export const metadata = { title: 'Runs' };


export default async function RunsPage() {
  const user = await requirePagePermission('app.view');
  const [runs, activity] = await Promise.all([listRuns(100), realtimeActivity()]);
  return (
    <>
      <PageHeader
        title="Evaluation runs"
        description="Each run re-evaluates segments with one clock (“now”). Only one run happens at a time; the last 100 are listed."
        actions={can(user.role, 'segment.evaluate') && <RunEvaluationButton />}
      />
      <RealtimeCard activity={activity} now={new Date()} />
      <Table label="Runs">
        <thead>
          <tr>
            <Th>Run</Th>
            <Th>Trigger</Th>
            <Th>Status</Th>
            <Th>Clock</Th>
            <Th className="text-right">Duration</Th>
            <Th className="text-right">Segments</Th>
            <Th className="text-right">Entered</Th>
            <Th className="text-right">Left</Th>
            <Th>Error</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.length === 0 && <EmptyRow colSpan={9}>No evaluation has run yet.</EmptyRow>}
          {runs.map((r) => (
            <tr key={r.id} data-testid="run-row">
              <Td className="tabular-nums">#{r.id}</Td>
              <Td>{runTriggerLabel(r.trigger)}</Td>
              <Td>
                <RunStatusBadge status={r.status} />
              </Td>
              <Td>{formatDateTime(r.clock)}</Td>
              <Td className="text-right tabular-nums">{formatDuration(r.startedAt, r.finishedAt)}</Td>
              <Td className="text-right tabular-nums">
                {formatInt(r.segments)}
                {r.failedSegments > 0 && <span className="ml-1 text-red-700">({r.failedSegments} failed)</span>}
              </Td>
              <Td className="text-right tabular-nums text-emerald-700">{formatInt(r.entered)}</Td>
              <Td className="text-right tabular-nums text-red-700">{formatInt(r.left)}</Td>
              <Td className="max-w-xs truncate text-red-700" title={r.error ?? undefined}>
                {r.error ?? ''}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
