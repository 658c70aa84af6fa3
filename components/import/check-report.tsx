import { formatInt } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import type { CheckReport } from '@/lib/import/profiles/check';

const KEY_WORDS = { externalId: 'external id', email: 'e-mail', rowNumber: 'row number' } as const;

/** The validation report: what an import would do, and every problem with the rows it is on. */
export function CheckReportView({ report }: { report: CheckReport }) {
  return (
    <div className="space-y-3" data-testid="check-report" data-ok={report.ok}>
      <p className="text-sm text-slate-700">
        {formatInt(report.rows)} rows, matched by {KEY_WORDS[report.key.by]}
        {report.key.column ? ` (column "${report.key.column}")` : report.key.prefix ? ` (ids ${report.key.prefix}-1 … ${report.key.prefix}-${report.rows})` : ''}:{' '}
        <span data-testid="report-matched">{formatInt(report.matched)}</span> existing profiles to update, <span data-testid="report-created">{formatInt(report.created)}</span> to create
        {report.newTraits.length > 0 && (
          <>
            ; new traits: {report.newTraits.map((t) => `${t.key} (${t.type})`).join(', ')}
          </>
        )}
        .
      </p>
      {report.ok ? (
        <Badge tone="green">No problems found</Badge>
      ) : (
        <div className="space-y-2">
          <Badge tone="red">
            {report.problems.length === 1 ? '1 problem' : `${report.problems.length} problems`}: nothing will be written until they are fixed
          </Badge>
          <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200" aria-label="Problems">
            {report.problems.map((p, i) => (
              <li key={i} className="px-3 py-2 text-sm" data-testid="problem" data-kind={p.kind}>
                <p className="font-medium text-red-700">{p.message}</p>
                <p className="mt-0.5 text-xs text-slate-600">
                  {p.count > p.examples.length ? `First ${p.examples.length} of ${formatInt(p.count)}: ` : ''}
                  {p.examples
                    .map((e) => `row ${e.row}${e.value !== undefined && e.value !== '' ? ` (${JSON.stringify(e.value)})` : ''}${e.firstRow ? ` like row ${e.firstRow}` : ''}`)
                    .join(', ')}
                </p>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
