import Link from 'next/link';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { SegmentMember } from '@/lib/segments/queries';
import { formatDateTime, formatInt, formatMoney } from '../format';

export function MemberTable({ members }: { members: SegmentMember[] }) {
  return (
    <Table label="Members">
      <thead>
        <tr>
          <Th>Customer id</Th>
          <Th>Country</Th>
          <Th className="text-right">Orders</Th>
          <Th className="text-right">Total spent</Th>
          <Th>Entered</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {members.length === 0 && <EmptyRow colSpan={5}>No profiles are in this segment right now.</EmptyRow>}
        {members.map((m) => (
          <tr key={m.profileId} data-testid="member-row">
            <Td>
              <Link href={`/profiles/${m.profileId}`} className="font-medium text-brand-700 hover:underline">
                {m.externalId}
              </Link>
            </Td>
            <Td>{m.country ?? '—'}</Td>
            <Td className="text-right tabular-nums">{formatInt(m.orderCount)}</Td>
            <Td className="text-right tabular-nums">{formatMoney(m.totalSpent)}</Td>
            <Td>{formatDateTime(m.enteredAt)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
