import { Timestamp } from '@/components/account/timestamp';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';

/** The signed-in user's own recent sign-ins: when, from which address, with which browser. */
export function RecentSignIns({ signIns }: { signIns: { at: Date; ip: string | null; userAgent: string | null }[] }) {
  return (
    <Table label="Recent sign-ins">
      <thead>
        <tr>
          <Th>Signed in</Th>
          <Th>Address</Th>
          <Th>Browser</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid="recent-sign-ins">
        {signIns.length === 0 && <EmptyRow colSpan={3}>No sign-ins recorded yet.</EmptyRow>}
        {signIns.map((s, i) => (
          <tr key={i} data-testid="sign-in-row">
            <Td>
              <Timestamp value={s.at} />
            </Td>
            <Td className="font-mono text-xs">{s.ip ?? '—'}</Td>
            <Td className="max-w-md truncate text-xs" title={s.userAgent ?? undefined}>
              {s.userAgent ?? '—'}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
