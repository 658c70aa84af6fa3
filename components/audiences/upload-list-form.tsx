'use client';

import { Upload } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ErrorMessage } from '@/components/ui/form';
import type { UploadReport } from '@/lib/audiences/upload';
import { formatCount, formatInt } from '../format';

const MAX_MB = 20;

type Outcome = { stored: boolean; number?: number; rowCount?: number; report: UploadReport };

/**
 * A static list (CSV of external ids or e-mails) as the next version: "Check" reports what the
 * file would give without storing anything; "Create version" stores it and shows the same report.
 * The file is sent as the request body (streamed by the browser), its name in a header.
 */
export function UploadListForm({ audienceId }: { audienceId: number }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function send(check: boolean) {
    if (!file) return;
    setError(null);
    setOutcome(null);
    if (file.size > MAX_MB * 1024 * 1024) {
      setError(`The file is larger than ${MAX_MB} MB. Split it, or upload only the id or e-mail column.`);
      return;
    }
    startTransition(async () => {
      const response = await fetch(`/api/audiences/${audienceId}/versions/upload${check ? '?check=1' : ''}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv', 'X-File-Name': encodeURIComponent(file.name) },
        body: file,
      }).catch(() => null);
      const body = (await response?.json().catch(() => null)) as (Outcome & { error?: string }) | null;
      if (!response || !response.ok || !body || body.error) {
        setError(body?.error ?? 'The upload failed. Check your connection and try again.');
        return;
      }
      setOutcome(body);
      if (body.stored) {
        setFile(null);
        if (input.current) input.current.value = '';
        router.refresh();
      }
    });
  }

  return (
    <div className="space-y-3" data-testid="upload-list">
      <p className="text-sm text-slate-600">
        A CSV with a column <code>external_id</code> (or <code>customer id</code>, <code>id</code>) or <code>email</code>; at most {MAX_MB} MB. The audience&apos;s columns are
        filled from the profiles it names.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <input
          ref={input}
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          aria-label="List file"
          data-testid="upload-file"
          className="text-sm"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setOutcome(null);
            setError(null);
          }}
        />
        <Button variant="secondary" disabled={!file || pending} onClick={() => send(true)} data-testid="upload-check">
          Check file
        </Button>
        <Button disabled={!file || pending} onClick={() => send(false)} data-testid="upload-create">
          <Upload size={16} />
          {pending ? 'Uploading…' : 'Create version'}
        </Button>
      </div>
      <ErrorMessage>{error}</ErrorMessage>
      {outcome && <UploadReportView outcome={outcome} />}
    </div>
  );
}

function UploadReportView({ outcome }: { outcome: Outcome }) {
  const r = outcome.report;
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200" role="status" data-testid="upload-report" data-matched={r.matched} data-unknown={r.unknown} data-duplicate={r.duplicate} data-empty={r.empty}>
      <p className="font-medium text-slate-800" data-testid="upload-outcome">
        {outcome.stored ? `Version ${outcome.number} created with ${formatCount(outcome.rowCount ?? 0, 'row')}.` : 'Checked: nothing was stored.'}
      </p>
      <p className="text-slate-700">
        {r.fileName}: {formatCount(r.dataRows, 'line')} matched on {r.matchedBy === 'email' ? 'e-mail' : 'external id'}
        {r.column ? ` (column "${r.column}")` : ' (no header)'}.
      </p>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        {(
          [
            ['Matched', r.matched],
            ['Unknown', r.unknown],
            ['Duplicate', r.duplicate],
            ['Empty', r.empty],
          ] as const
        ).map(([label, n]) => (
          <div key={label} className="rounded bg-white px-2 py-1 ring-1 ring-slate-200">
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="font-semibold tabular-nums" data-testid={`upload-${label.toLowerCase()}`}>
              {formatInt(n)}
            </dd>
          </div>
        ))}
      </dl>
      {r.unknownLines.length > 0 && (
        <LineList title={`Unknown${r.unknown > r.unknownLines.length ? ` (first ${r.unknownLines.length})` : ''}`} items={r.unknownLines.map((l) => `line ${l.line}: ${l.value}`)} />
      )}
      {r.duplicateLines.length > 0 && (
        <LineList
          title={`Duplicate${r.duplicate > r.duplicateLines.length ? ` (first ${r.duplicateLines.length})` : ''}`}
          items={r.duplicateLines.map((l) => `line ${l.line}: ${l.value} (as line ${l.firstLine})`)}
        />
      )}
      {r.emptyLines.length > 0 && <LineList title="Empty" items={[`lines ${r.emptyLines.join(', ')}`]} />}
    </div>
  );
}

function LineList({ title, items }: { title: string; items: string[] }) {
  return (
    <div>
      <p className="text-xs font-medium text-slate-600">{title}</p>
      <ul className="max-h-40 overflow-y-auto font-mono text-xs text-slate-700">
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}
