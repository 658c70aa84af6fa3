'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { formatInt } from '@/components/format';
import { Button, ButtonLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorMessage, Field, Input } from '@/components/ui/form';
import type { CheckReport } from '@/lib/import/profiles/check';
import type { ImportJobView, ImportResult } from '@/lib/import/profiles/jobs';
import { delimiterName, IMPORT_MAX_BYTES, type ColumnTarget, type ImportMapping } from '@/lib/import/profiles/mapping';
import { CheckReportView } from './check-report';
import { ColumnMapping } from './column-mapping';
import { ProgressBar } from './progress-bar';

type Step = 'choose' | 'uploading' | 'map' | 'importing' | 'done';

interface Answer<T> {
  status: number;
  body: T & { error?: string; report?: CheckReport; problems?: string[] };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { error: text.slice(0, 300) || 'The server did not answer.' };
  }
}

/** XMLHttpRequest rather than fetch: only it reports how much of the upload has been sent. */
function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<Answer<ImportJobView>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: parse(xhr.responseText) as Answer<ImportJobView>['body'] });
    xhr.onerror = () => reject(new Error('The upload was interrupted (network error). Try again.'));
    xhr.send(file);
  });
}

async function post<T>(url: string, body: unknown): Promise<Answer<T>> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: parse(await response.text()) as Answer<T>['body'] };
}

const PHASE_TEXT: Record<string, string> = {
  writing: 'Checking again and writing the profiles (one transaction)…',
  evaluating: 'Profiles written; re-evaluating the segments…',
};

/**
 * The profile CSV import: upload (streamed into staging, with a progress bar), map each column to a
 * field or a trait, check (the validation report, nothing written), import (progress from the
 * import's phase, polled), result.
 */
export function ProfileImport() {
  const router = useRouter();
  const [step, setStep] = useState<Step>('choose');
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(0);
  const [job, setJob] = useState<ImportJobView | null>(null);
  const [columns, setColumns] = useState<ColumnTarget[]>([]);
  const [rowIds, setRowIds] = useState<{ prefix: string } | null>(null);
  const [report, setReport] = useState<CheckReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [phase, setPhase] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const polling = useRef<ReturnType<typeof setInterval> | null>(null);

  useEffect(() => () => {
    if (polling.current) clearInterval(polling.current);
  }, []);

  const mapping: ImportMapping = { columns, rowIds };
  const hasIdColumn = columns.some((c) => c.kind === 'field' && c.field === 'externalId');
  const emailColumn = job?.columns.find((c) => columns[c.index]?.kind === 'field' && (columns[c.index] as { field: string }).field === 'email');
  const idColumn = job?.columns.find((c) => columns[c.index]?.kind === 'field' && (columns[c.index] as { field: string }).field === 'externalId');

  const fail = (message: string, list: string[] = []) => {
    setError(list.length ? 'The mapping cannot be used yet:' : message); // the list says why
    setProblems(list);
  };

  async function upload() {
    if (!file) return;
    setError(null);
    setProblems([]);
    if (file.size > IMPORT_MAX_BYTES) {
      fail(`The file is ${(file.size / (1024 * 1024)).toFixed(1)} MB; the limit for one import is ${IMPORT_MAX_BYTES / (1024 * 1024)} MB. Split it into smaller files (each keeps the header row).`);
      return;
    }
    setStep('uploading');
    setSent(0);
    try {
      const answer = await uploadFile(file, setSent);
      if (answer.status !== 201) {
        setStep('choose');
        fail(answer.body.error ?? `The upload failed (${answer.status}).`);
        return;
      }
      const view = answer.body;
      setJob(view);
      setColumns(view.mapping.columns);
      setRowIds(view.mapping.rowIds);
      setReport(null);
      setStep('map');
    } catch (e) {
      setStep('choose');
      fail((e as Error).message);
    }
  }

  function changeColumn(index: number, target: ColumnTarget) {
    setColumns((cs) => cs.map((c, i) => (i === index ? target : c)));
    setReport(null); // a changed mapping needs a new check
  }

  async function check() {
    if (!job) return;
    setBusy(true);
    setError(null);
    setProblems([]);
    try {
      const answer = await post<{ report: CheckReport }>(`/api/imports/${job.id}/check`, { mapping });
      if (answer.status === 200) setReport(answer.body.report);
      else fail(answer.body.error ?? `The check failed (${answer.status}).`, answer.body.problems ?? []);
    } catch (e) {
      fail((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function runImport() {
    if (!job) return;
    setStep('importing');
    setError(null);
    setPhase('writing');
    polling.current = setInterval(async () => {
      const response = await fetch(`/api/imports/${job.id}`, { cache: 'no-store' }).catch(() => null);
      if (response?.ok) setPhase(((await response.json()) as ImportJobView).phase);
    }, 700);
    try {
      const answer = await post<{ result: ImportResult }>(`/api/imports/${job.id}/run`, { mapping });
      if (answer.status === 200) {
        setResult(answer.body.result);
        setStep('done');
        router.refresh(); // the history below the form
      } else {
        setStep('map');
        if (answer.body.report) setReport(answer.body.report);
        fail(answer.body.error ?? `The import failed (${answer.status}).`, answer.body.problems ?? []);
      }
    } catch (e) {
      setStep('map');
      fail((e as Error).message);
    } finally {
      if (polling.current) clearInterval(polling.current);
      polling.current = null;
      setPhase(null);
    }
  }

  async function discard() {
    if (job) await fetch(`/api/imports/${job.id}`, { method: 'DELETE' }).catch(() => null);
    reset();
  }

  function reset() {
    setStep('choose');
    setFile(null);
    setJob(null);
    setColumns([]);
    setRowIds(null);
    setReport(null);
    setResult(null);
    setError(null);
    setProblems([]);
    router.refresh();
  }

  return (
    <div className="space-y-4">
      {(step === 'choose' || step === 'uploading') && (
        <Card title="1. Choose a CSV file">
          <div className="flex flex-wrap items-end gap-3">
            <Field label="CSV file" htmlFor="import-file" hint={`Comma- or semicolon-separated, UTF-8, the first row naming the columns; up to ${IMPORT_MAX_BYTES / (1024 * 1024)} MB.`}>
              <input
                id="import-file"
                type="file"
                accept=".csv,text/csv,text/plain"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                disabled={step === 'uploading'}
                className="block text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-brand-700"
              />
            </Field>
            <Button onClick={upload} disabled={!file || step === 'uploading'}>
              Upload
            </Button>
          </div>
          {step === 'uploading' && (
            <div className="mt-4">
              <ProgressBar
                label="Upload progress"
                testId="upload-progress"
                value={sent < 1 ? sent : null}
                text={sent < 1 ? `Uploading ${file?.name}…` : 'Uploaded; reading the rows and looking at each column…'}
              />
            </div>
          )}
        </Card>
      )}

      {job && (step === 'map' || step === 'importing') && (
        <>
          <Card
            title={`2. Map the columns of ${job.fileName}`}
            actions={
              <Button variant="ghost" onClick={discard} disabled={step === 'importing'}>
                Choose another file
              </Button>
            }
          >
            <p className="mb-3 text-sm text-slate-600" data-testid="file-summary">
              {formatInt(job.rows)} rows, {job.columns.length} columns, {delimiterName(job.delimiter)}-separated. Empty cells leave a profile&apos;s value as it is.
            </p>
            <ColumnMapping columns={job.columns} targets={columns} registered={job.registeredTraits} onChange={changeColumn} disabled={step === 'importing'} />
            <div className="mt-4 space-y-2 text-sm text-slate-700" data-testid="import-key">
              {idColumn && !rowIds ? (
                <p>
                  Profiles are matched by their external id (column &quot;{idColumn.header}&quot;): a known id is updated, a new one creates a profile.
                </p>
              ) : emailColumn && !rowIds ? (
                <p>
                  Profiles are matched by e-mail (column &quot;{emailColumn.header}&quot;, compared in lower case); a new profile takes its e-mail as external id.
                </p>
              ) : null}
              {!hasIdColumn && (
                <div className="space-y-2 rounded-md bg-slate-50 p-3">
                  <label className="flex items-center gap-2">
                    <input type="checkbox" checked={rowIds !== null} onChange={(e) => (setRowIds(e.target.checked ? { prefix: '' } : null), setReport(null))} disabled={step === 'importing'} />
                    The file has no id column: use row numbers as ids
                  </label>
                  {rowIds && (
                    <Field
                      label="Id prefix"
                      htmlFor="row-id-prefix"
                      hint={`Profiles get the ids ${rowIds.prefix || 'prefix'}-1 … ${rowIds.prefix || 'prefix'}-${formatInt(job.rows)}, in file order, so importing the same file again updates the same profiles (a file with rows added, removed or reordered does not).`}
                    >
                      <Input id="row-id-prefix" value={rowIds.prefix} onChange={(e) => (setRowIds({ prefix: e.target.value }), setReport(null))} className="w-48 font-mono" disabled={step === 'importing'} />
                    </Field>
                  )}
                </div>
              )}
            </div>
          </Card>

          <Card title="3. Check, then import">
            <div className="space-y-3">
              <ErrorMessage>{error}</ErrorMessage>
              {problems.length > 0 && (
                <ul className="list-disc pl-5 text-sm text-red-700" aria-label="Mapping problems">
                  {problems.map((p, i) => (
                    <li key={i}>{p}</li>
                  ))}
                </ul>
              )}
              {report && <CheckReportView report={report} />}
              {step === 'importing' ? (
                <ProgressBar label="Import progress" testId="import-progress" value={phase === 'evaluating' ? 0.8 : 0.35} text={PHASE_TEXT[phase ?? 'writing'] ?? 'Importing…'} />
              ) : (
                <div className="flex gap-2">
                  <Button variant={report?.ok ? 'secondary' : 'primary'} onClick={check} disabled={busy}>
                    {busy ? 'Checking…' : report ? 'Check again' : 'Check file'}
                  </Button>
                  <Button onClick={runImport} disabled={!report?.ok || busy}>
                    Import {report ? formatInt(report.rows) : ''} rows
                  </Button>
                </div>
              )}
            </div>
          </Card>
        </>
      )}

      {step === 'done' && result && (
        <Card title="Imported">
          <div className="space-y-3 text-sm text-slate-700" data-testid="import-result">
            <ProgressBar label="Import progress" value={1} text="Done" />
            <p>
              <span data-testid="result-created">{formatInt(result.written.created)}</span> profiles created, <span data-testid="result-updated">{formatInt(result.written.updated)}</span> updated,{' '}
              {formatInt(result.written.unchanged)} unchanged, in {(result.ms / 1000).toFixed(1)} s.
              {result.traitsRegistered.length > 0 && ` New traits: ${result.traitsRegistered.join(', ')}; they can be used in rules now.`}
            </p>
            <p>
              {result.evaluation.status === 'completed'
                ? `Segments re-evaluated (run #${result.evaluation.runId}, ${result.evaluation.segments} segments).`
                : result.evaluation.status === 'busy'
                  ? 'An evaluation run was already in progress; the next run re-tags the imported profiles.'
                  : result.evaluation.status === 'failed'
                    ? `The profiles are in, but re-evaluating the segments failed (${result.evaluation.error}); the next scheduled run re-tags them.`
                    : 'Nothing changed, so the segments were not re-evaluated.'}
            </p>
            <div className="flex gap-2">
              <ButtonLink href="/segments/new">Build a segment</ButtonLink>
              <Button variant="secondary" onClick={reset}>
                Import another file
              </Button>
            </div>
          </div>
        </Card>
      )}
      {step === 'choose' && <ErrorMessage>{error}</ErrorMessage>}
    </div>
  );
}
