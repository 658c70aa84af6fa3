import Link from 'next/link';
import { ChangeBadge } from '@/components/segments/change-table';
import { formatDateTime, runTriggerLabel } from '@/components/format';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { ProfileMembershipChange } from '@/lib/profiles/queries';

export function MembershipHistory({ changes }: { changes: ProfileMembershipChange[] }) {
  return (
    <Table label="Segment history">
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Change</Th>
          <Th>Segment</Th>
          <Th>Run</Th>
          <Th>Definition</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {changes.length === 0 && <EmptyRow colSpan={5}>Has not entered or left any segment.</EmptyRow>}
        {changes.map((c) => (
          <tr key={c.id} data-testid="history-row">
            <Td>{formatDateTime(c.at)}</Td>
            <Td>
              <ChangeBadge change={c.change} />
            </Td>
            <Td>
              <Link href={`/segments/${c.segmentId}`} className="text-brand-700 hover:underline">
                {c.segmentName}
              </Link>
            </Td>
            <Td>
              #{c.runId} <span className="text-slate-500">({runTriggerLabel(c.trigger)})</span>
            </Td>
            <Td>v{c.definitionVersion}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
