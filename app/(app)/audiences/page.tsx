import Link from 'next/link';
import { formatInt, formatDateTime } from '@/components/format';
import { ButtonLink } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { listAudiences } from '@/lib/audiences/queries';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Audiences' };

export default async function AudiencesPage() {
  const user = await requirePagePermission('app.view');
  const audiences = await listAudiences();
  return (
    <>
      <PageHeader
        title="Audiences"
        description="Lists for one purpose, frozen into numbered snapshots that never change and download as CSV."
        actions={can(user.role, 'audience.edit') && <ButtonLink href="/audiences/new" data-testid="new-audience">New audience</ButtonLink>}
      />
      <Table label="Audiences">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th className="text-right">Versions</Th>
            <Th>Latest version</Th>
            <Th className="text-right">Rows</Th>
            <Th>Frozen at</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {audiences.length === 0 && <EmptyRow colSpan={5}>No audiences yet.</EmptyRow>}
          {audiences.map((a) => (
            <tr key={a.id} data-testid={`audience-row-${a.id}`}>
              <Td>
                <Link href={`/audiences/${a.id}`} className="font-medium text-brand-700 hover:underline">
                  {a.name}
                </Link>
                {a.description && <div className="max-w-md truncate text-xs text-slate-500">{a.description}</div>}
              </Td>
              <Td className="text-right tabular-nums">{a.versionCount}</Td>
              <Td>{a.latestNumber ? `v${a.latestNumber}` : <span className="text-slate-400">not frozen yet</span>}</Td>
              <Td className="text-right tabular-nums">{a.latestRows === null ? '—' : formatInt(a.latestRows)}</Td>
              <Td>{formatDateTime(a.latestAt)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
