import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { VersionListItem } from '@/lib/audiences/queries';
import { DeleteVersionButton } from './delete-version-button';
import { formatInt, formatDateTime } from '../format';

/** Every frozen version, newest first, each downloadable as CSV. */
export function VersionsTable({ audienceId, versions, canDelete }: { audienceId: number; versions: VersionListItem[]; canDelete: boolean }) {
  return (
    <Table label="Versions">
      <thead>
        <tr>
          <Th>Version</Th>
          <Th>Frozen at</Th>
          <Th>By</Th>
          <Th className="text-right">Rows</Th>
          <Th>
            <span className="sr-only">Download</span>
          </Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid="versions-table">
        {versions.length === 0 && <EmptyRow colSpan={5}>No snapshot yet. Freeze one to get a downloadable list.</EmptyRow>}
        {versions.map((v) => (
          <tr key={v.id} data-testid={`version-row-${v.number}`} data-version={v.number} data-rows={v.rowCount}>
            <Td className="font-medium">v{v.number}</Td>
            <Td>{formatDateTime(v.createdAt)}</Td>
            <Td>{v.author ?? '—'}</Td>
            <Td className="text-right tabular-nums">{formatInt(v.rowCount)}</Td>
            <Td className="text-right">
              <span className="inline-flex items-center gap-2">
                <a
                  href={`/api/audiences/${audienceId}/versions/${v.number}/csv`}
                  download
                  className="text-sm font-medium text-brand-700 hover:underline"
                  data-testid={`download-version-${v.number}`}
                >
                  Download CSV
                </a>
                {canDelete && <DeleteVersionButton audienceId={audienceId} number={v.number} />}
              </span>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
