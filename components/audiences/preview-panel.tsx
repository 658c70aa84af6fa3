'use client';

import { Card } from '@/components/ui/card';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { formatCount } from '../format';
import { useAudiencePreview } from './use-audience-preview';

/** What "Freeze snapshot" would copy right now: the count and the first rows, exactly as stored. */
export function PreviewPanel({ rules, columns }: { rules: unknown; columns: string[] }) {
  const preview = useAudiencePreview(rules, columns);
  const data = preview.data;
  return (
    <Card
      title="Preview"
      actions={
        <span className="text-sm text-slate-600" data-testid="preview-count">
          {preview.isFetching ? 'Updating…' : data ? formatCount(data.count, 'matching profile') : ''}
        </span>
      }
    >
      {preview.isError ? (
        <p className="text-sm text-amber-800" role="status" data-testid="preview-error">
          {preview.error.message}
        </p>
      ) : (
        <Table label="Preview rows">
          <thead>
            <tr>{data?.columns.map((c) => <Th key={c.key}>{c.header}</Th>)}</tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="preview-rows">
            {data && data.rows.length === 0 && <EmptyRow colSpan={Math.max(1, data.columns.length)}>No profile matches these rules.</EmptyRow>}
            {data?.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <Td key={j} className="max-w-xs truncate">
                    {cell ?? <span className="text-slate-300">—</span>}
                  </Td>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {data && data.count > data.rows.length && <p className="mt-2 text-xs text-slate-500">Showing the first {data.rows.length} by profile id.</p>}
    </Card>
  );
}
