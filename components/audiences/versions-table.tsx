'use client';

import Link from 'next/link';
import { useState } from 'react';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { Badge } from '@/components/ui/badge';
import { Select } from '@/components/ui/form';
import type { VersionListItem } from '@/lib/audiences/queries';
import { downloadQuery, PRESET_OPTIONS, type PresetId } from '@/lib/audiences/preset-options';
import type { DefinitionChange } from './definition-change';
import { DeleteVersionButton } from './delete-version-button';
import { formatCount, formatDateTime, formatInt } from '../format';

/**
 * Every version, newest first: rows, author, time, the definition it froze and what changed from
 * the version before; each downloadable as CSV (as frozen, or as an ad platform's customer list).
 * Downloads are plain links: the browser streams them to disk and shows the progress.
 */
export function VersionsTable({
  audienceId,
  versions,
  changes,
  canDelete,
}: {
  audienceId: number;
  versions: VersionListItem[];
  changes: Record<number, DefinitionChange>;
  canDelete: boolean;
}) {
  const [bom, setBom] = useState(false);
  const [preset, setPreset] = useState<PresetId | null>(null);
  const [hashed, setHashed] = useState(false);
  const query = downloadQuery({ bom, preset, hashed });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2 text-sm text-slate-700" data-testid="download-options">
        <label className="flex items-center gap-2">
          <span className="whitespace-nowrap">Download as</span>
          <span className="w-80">
            <Select aria-label="Download format" data-testid="download-preset" value={preset ?? ''} onChange={(e) => setPreset((e.target.value || null) as PresetId | null)}>
              <option value="">CSV as frozen</option>
              {PRESET_OPTIONS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </Select>
          </span>
        </label>
        <label className={preset ? 'flex items-center gap-2' : 'flex items-center gap-2 text-slate-400'} title="SHA-256 of the normalised e-mail and phone, as the platforms match them">
          <input type="checkbox" data-testid="download-hash" checked={hashed && preset !== null} disabled={!preset} onChange={(e) => setHashed(e.target.checked)} />
          Hash e-mail and phone (SHA-256)
        </label>
        <label className="flex items-center gap-2" title="A byte-order mark, so Excel reads the file as UTF-8">
          <input type="checkbox" data-testid="download-bom" checked={bom} onChange={(e) => setBom(e.target.checked)} />
          For Excel (UTF-8 BOM)
        </label>
      </div>
      <Table label="Versions">
        <thead>
          <tr>
            <Th>Version</Th>
            <Th>Frozen at</Th>
            <Th>By</Th>
            <Th className="text-right">Rows</Th>
            <Th>Definition</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid="versions-table">
          {versions.length === 0 && <EmptyRow colSpan={6}>No snapshot yet. Freeze one, or upload a list, to get a downloadable version.</EmptyRow>}
          {versions.map((v) => {
            const change = changes[v.number];
            return (
              <tr key={v.id} data-testid={`version-row-${v.number}`} data-version={v.number} data-rows={v.rowCount} className="align-top">
                <Td className="font-medium">
                  v{v.number}
                  {v.source === 'UPLOAD' && (
                    <span className="ml-2">
                      <Badge tone="amber">uploaded</Badge>
                    </span>
                  )}
                </Td>
                <Td>{formatDateTime(v.createdAt)}</Td>
                <Td>{v.author ?? '—'}</Td>
                <Td className="text-right tabular-nums">{formatInt(v.rowCount)}</Td>
                <Td className="min-w-72 max-w-xl whitespace-normal">{change && <DefinitionCell version={v} change={change} />}</Td>
                <Td className="text-right">
                  <span className="inline-flex flex-col items-end gap-1">
                    <a
                      href={`/api/audiences/${audienceId}/versions/${v.number}/csv${query}`}
                      download
                      className="text-sm font-medium text-brand-700 hover:underline"
                      data-testid={`download-version-${v.number}`}
                    >
                      Download CSV
                    </a>
                    {change?.previous != null && (
                      <Link
                        href={`/audiences/${audienceId}/compare?from=${change.previous}&to=${v.number}`}
                        className="text-sm text-brand-700 hover:underline"
                        data-testid={`compare-version-${v.number}`}
                      >
                        Compare with v{change.previous}
                      </Link>
                    )}
                    {canDelete && <DeleteVersionButton audienceId={audienceId} number={v.number} />}
                  </span>
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </div>
  );
}

function DefinitionCell({ version, change }: { version: VersionListItem; change: DefinitionChange }) {
  const upload = version.upload;
  return (
    <div className="space-y-1 text-xs" data-testid={`definition-${version.number}`}>
      <p className="text-sm text-slate-800">{change.summary}</p>
      {upload && (
        <p className="text-slate-500">
          Matched on {upload.matchedBy === 'email' ? 'e-mail' : 'external id'}: {formatCount(upload.matched, 'profile')} of {formatCount(upload.dataRows, 'line')}
          {upload.unknown > 0 && `, ${formatInt(upload.unknown)} unknown`}
          {upload.duplicate > 0 && `, ${formatInt(upload.duplicate)} duplicate`}
          {upload.empty > 0 && `, ${formatInt(upload.empty)} empty`}
        </p>
      )}
      {change.previous !== null && (
        <div className="text-slate-500" data-testid={`change-${version.number}`}>
          {change.same ? (
            <span>Same definition as v{change.previous}.</span>
          ) : (
            <ul className="space-y-0.5">
              <li className="font-medium text-slate-600">Changed from v{change.previous}:</li>
              {change.sourceChanged && <li>{version.source === 'UPLOAD' ? 'an uploaded list instead of rules' : 'rules instead of an uploaded list'}</li>}
              {change.addedConditions.map((c) => (
                <li key={`+${c}`} className="text-emerald-700">
                  + {c}
                </li>
              ))}
              {change.removedConditions.map((c) => (
                <li key={`-${c}`} className="text-red-700">
                  − {c}
                </li>
              ))}
              {change.rulesReworded && <li>rules regrouped (AND/OR, NOT or order)</li>}
              {change.addedColumns.length > 0 && <li className="text-emerald-700">+ columns {change.addedColumns.join(', ')}</li>}
              {change.removedColumns.length > 0 && <li className="text-red-700">− columns {change.removedColumns.join(', ')}</li>}
              {change.columnsReordered && <li>columns reordered</li>}
              {!change.sourceChanged && version.source === 'UPLOAD' && <li>another uploaded list</li>}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
