import { formatDateTime, formatMoney } from '@/components/format';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { ProfileEvent } from '@/lib/profiles/queries';

function Properties({ value }: { value: Record<string, unknown> }) {
  const entries = Object.entries(value ?? {});
  if (entries.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <span className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs">
      {entries.map(([k, v]) => (
        <span key={k}>
          <span className="text-slate-500">{k}:</span> {typeof v === 'string' ? v : JSON.stringify(v)}
        </span>
      ))}
    </span>
  );
}

export function EventTable({ events }: { events: ProfileEvent[] }) {
  return (
    <Table label="Recent events">
      <thead>
        <tr>
          <Th>Time</Th>
          <Th>Type</Th>
          <Th className="text-right">Revenue</Th>
          <Th>Properties</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {events.length === 0 && <EmptyRow colSpan={4}>No events.</EmptyRow>}
        {events.map((e) => (
          <tr key={e.id} data-testid="event-row">
            <Td>{formatDateTime(e.occurredAt)}</Td>
            <Td>{e.type}</Td>
            <Td className={`text-right tabular-nums ${e.revenue?.startsWith('-') ? 'text-red-700' : ''}`}>{formatMoney(e.revenue)}</Td>
            <Td className="whitespace-normal">
              <Properties value={e.properties} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
