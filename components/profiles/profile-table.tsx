import Link from 'next/link';
import { formatDay, formatInt, formatMoney } from '@/components/format';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { ProfileListItem } from '@/lib/profiles/queries';

export function ProfileTable({ profiles }: { profiles: ProfileListItem[] }) {
  return (
    <Table label="Profiles">
      <thead>
        <tr>
          <Th>Customer id</Th>
          <Th>Email</Th>
          <Th>Country</Th>
          <Th className="text-right">Orders</Th>
          <Th className="text-right">Total spent</Th>
          <Th>Last order</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {profiles.length === 0 && <EmptyRow colSpan={6}>No profiles match.</EmptyRow>}
        {profiles.map((p) => (
          <tr key={p.id} data-testid="profile-row">
            <Td>
              <Link href={`/profiles/${p.id}`} className="font-medium text-brand-700 hover:underline">
                {p.externalId}
              </Link>
            </Td>
            <Td>{p.email ?? '—'}</Td>
            <Td>{p.country ?? '—'}</Td>
            <Td className="text-right tabular-nums">{formatInt(p.orderCount)}</Td>
            <Td className="text-right tabular-nums">{formatMoney(p.totalSpent)}</Td>
            <Td>{formatDay(p.lastOrderAt)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
