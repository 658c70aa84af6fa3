import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { MembershipChangeRow } from '@/lib/segments/queries';
import { formatDateTime } from '../format';

export function ChangeBadge({ change }: { change: 'ENTERED' | 'LEFT' }) {
  return change === 'ENTERED' ? <Badge tone="green">entered</Badge> : <Badge tone="red">left</Badge>;
}

/** Who moved, when, in which run and under which definition version. */
export function ChangeTable({ changes }: { changes: MembershipChangeRow[] }) {
  return (
    <Table label="Recent changes">
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Change</Th>
          <Th>Customer id</Th>
          <Th>Run</Th>
          <Th>Definition</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {changes.length === 0 && <EmptyRow colSpan={5}>Nobody has entered or left yet.</EmptyRow>}
        {changes.map((c) => (
          <tr key={c.id} data-testid="change-row">
            <Td>{formatDateTime(c.at)}</Td>
            <Td>
              <ChangeBadge change={c.change} />
            </Td>
            <Td>
              {c.externalId ? (
                <Link href={`/profiles/${c.profileId}`} className="text-brand-700 hover:underline">
                  {c.externalId}
                </Link>
              ) : (
                <span className="text-slate-400">deleted profile #{c.profileId}</span>
              )}
            </Td>
            <Td>#{c.runId}</Td>
            <Td>v{c.definitionVersion}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
