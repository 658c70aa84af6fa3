import { formatDateTime, formatInt } from '@/components/format';
import { ProfileImport } from '@/components/import/profile-import';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { requirePagePermission } from '@/lib/auth/session';
import { listRecentImports, type ImportStatus } from '@/lib/import/profiles/jobs';

export const metadata = { title: 'Import profiles' };

const STATUS_TONE: Record<ImportStatus, 'gray' | 'green' | 'amber' | 'red' | 'blue'> = {
  UPLOADING: 'blue',
  READY: 'amber',
  IMPORTING: 'blue',
  COMPLETED: 'green',
  FAILED: 'red',
};
const STATUS_LABEL: Record<ImportStatus, string> = { UPLOADING: 'uploading', READY: 'not imported', IMPORTING: 'importing', COMPLETED: 'imported', FAILED: 'failed' };

export default async function ImportPage() {
  await requirePagePermission('import.run');
  const recent = await listRecentImports(10);
  return (
    <>
      <PageHeader
        title="Import profiles"
        description="Upload a CSV of profiles or traits, map its columns to profile fields or traits, check it (nothing is written until the check passes), then import it. Profiles are matched by external id or e-mail, so importing a file again updates the same profiles; segments are re-evaluated afterwards."
      />
      <ProfileImport />
      <section className="mt-8 space-y-2">
        <h2 className="text-sm font-semibold text-slate-700">Recent imports</h2>
        <Table label="Recent imports">
          <thead>
            <tr>
              <Th>File</Th>
              <Th className="text-right">Rows</Th>
              <Th>Status</Th>
              <Th className="text-right">Created</Th>
              <Th className="text-right">Updated</Th>
              <Th>By</Th>
              <Th>When</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {recent.length === 0 && <EmptyRow colSpan={7}>No file uploaded yet.</EmptyRow>}
            {recent.map((r) => (
              <tr key={r.id}>
                <Td className="max-w-xs truncate" title={r.error ?? r.fileName}>
                  {r.fileName}
                </Td>
                <Td className="text-right tabular-nums">{formatInt(r.rows)}</Td>
                <Td>
                  <Badge tone={STATUS_TONE[r.status]}>{STATUS_LABEL[r.status]}</Badge>
                </Td>
                <Td className="text-right tabular-nums">{formatInt(r.created)}</Td>
                <Td className="text-right tabular-nums">{formatInt(r.updated)}</Td>
                <Td>{r.createdBy ?? '—'}</Td>
                <Td>{formatDateTime(r.finishedAt ?? r.createdAt)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </section>
    </>
  );
}
