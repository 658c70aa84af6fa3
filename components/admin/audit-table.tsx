import { Timestamp } from '@/components/account/timestamp';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { AuditEntryRow } from '@/lib/audit-query';

/** Audit entries as text: names and details are whatever users typed, so they are only ever rendered as text. */
export function AuditTable({ entries }: { entries: AuditEntryRow[] }) {
  return (
    <Table label="Audit entries">
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Who</Th>
          <Th>Action</Th>
          <Th>Entity</Th>
          <Th>Address</Th>
          <Th>Details</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid="audit-entries">
        {entries.length === 0 && <EmptyRow colSpan={6}>No entries match these filters.</EmptyRow>}
        {entries.map((e) => (
          <tr key={e.id} data-testid="audit-row" className="align-top">
            <Td>
              <Timestamp value={e.at} />
            </Td>
            <Td title={e.actorEmail ?? undefined}>{e.actorName ?? <span className="text-slate-400">system</span>}</Td>
            <Td className="font-mono text-xs" data-testid="audit-action">
              {e.action}
            </Td>
            <Td className="font-mono text-xs">
              {e.entityType}
              {e.entityId !== null && ` #${e.entityId}`}
            </Td>
            <Td className="font-mono text-xs">{e.ip ?? '—'}</Td>
            <Td className="whitespace-normal">
              <details>
                <summary className="cursor-pointer text-xs text-slate-500">{summarise(e.details)}</summary>
                <pre className="mt-1 max-w-xl overflow-x-auto whitespace-pre-wrap break-all text-xs text-slate-700">{JSON.stringify(e.details, null, 2)}</pre>
              </details>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function summarise(details: unknown): string {
  if (!details || typeof details !== 'object') return 'details';
  const keys = Object.keys(details);
  return keys.length === 0 ? 'no details' : keys.slice(0, 4).join(', ') + (keys.length > 4 ? ', …' : '');
}
