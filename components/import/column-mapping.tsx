'use client';

import { formatInt } from '@/components/format';
import { Input, Select } from '@/components/ui/form';
import { Table, Td, Th } from '@/components/ui/table';
import type { ImportColumn } from '@/lib/import/profiles/jobs';
import {
  inferTraitType,
  PROFILE_FIELD_LABELS,
  PROFILE_FIELDS,
  traitKeyFromHeader,
  traitLabelFromHeader,
  TRAIT_TYPES,
  type ColumnStats,
  type ColumnTarget,
  type ProfileField,
  type TraitType,
} from '@/lib/import/profiles/mapping';
import type { TraitDefinition } from '@/lib/rules/fields';

const TYPE_LABELS = { text: 'text', number: 'number', date: 'date', boolean: 'yes / no' } as const;

function statsLine(s: ColumnStats): string {
  const parts = [`${formatInt(s.filled)} filled`];
  if (s.numbers) parts.push(`${formatInt(s.numbers)} numbers`);
  if (s.yesNo) parts.push(`${formatInt(s.yesNo)} yes/no`);
  if (s.dates) parts.push(`${formatInt(s.dates)} dates`);
  if (s.emails) parts.push(`${formatInt(s.emails)} e-mails`);
  return parts.join(' · ');
}

/** Each column of the file: its name, a sample, what its values look like, and where it goes. */
export function ColumnMapping({
  columns,
  targets,
  registered,
  onChange,
  disabled,
}: {
  columns: ImportColumn[];
  targets: ColumnTarget[];
  registered: TraitDefinition[];
  onChange: (index: number, target: ColumnTarget) => void;
  disabled?: boolean;
}) {
  const choose = (column: ImportColumn, value: string) => {
    if (value === 'skip') return onChange(column.index, { kind: 'skip' });
    if (value === 'trait') {
      const key = traitKeyFromHeader(column.header, column.index);
      const known = registered.find((t) => t.key === key);
      return onChange(column.index, known ? { kind: 'trait', key, label: known.label, type: known.type } : { kind: 'trait', key, label: traitLabelFromHeader(column.header), type: inferTraitType(column.stats) });
    }
    onChange(column.index, { kind: 'field', field: value as ProfileField });
  };
  return (
    <Table label="Columns">
      <thead>
        <tr>
          <Th>Column</Th>
          <Th>Sample</Th>
          <Th>Values</Th>
          <Th>Import as</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {columns.map((column) => {
          const target = targets[column.index] ?? { kind: 'skip' };
          const known = target.kind === 'trait' ? registered.find((t) => t.key === target.key) : undefined;
          const name = column.header;
          return (
            <tr key={column.index} data-testid="import-column" data-column={name}>
              <Td className="font-medium text-slate-900">{name}</Td>
              <Td className="max-w-[16rem] truncate text-slate-500" title={column.samples.join(' | ')}>
                {column.samples.slice(0, 3).map((s) => s || '∅').join(' · ')}
              </Td>
              <Td className="text-xs text-slate-500">{statsLine(column.stats)}</Td>
              <Td className="whitespace-normal">
                <div className="flex flex-wrap items-center gap-2">
                  <Select
                    aria-label={`Import column ${name} as`}
                    value={target.kind === 'field' ? target.field : target.kind}
                    onChange={(e) => choose(column, e.target.value)}
                    disabled={disabled}
                    className="w-40"
                  >
                    <option value="skip">Skip</option>
                    <optgroup label="Profile field">
                      {PROFILE_FIELDS.map((f) => (
                        <option key={f} value={f}>
                          {PROFILE_FIELD_LABELS[f]}
                        </option>
                      ))}
                    </optgroup>
                    <option value="trait">Trait</option>
                  </Select>
                  {target.kind === 'trait' && (
                    <>
                      <Input
                        aria-label={`Trait key for ${name}`}
                        value={target.key}
                        onChange={(e) => {
                          const key = e.target.value;
                          const reg = registered.find((t) => t.key === key);
                          onChange(column.index, reg ? { kind: 'trait', key, label: reg.label, type: reg.type } : { ...target, key });
                        }}
                        disabled={disabled}
                        className="w-32 font-mono"
                      />
                      <Input aria-label={`Trait label for ${name}`} value={target.label} onChange={(e) => onChange(column.index, { ...target, label: e.target.value })} disabled={disabled || !!known} className="w-32" />
                      <Select
                        aria-label={`Type of ${name}`}
                        value={target.type}
                        onChange={(e) => onChange(column.index, { ...target, type: e.target.value as TraitType })}
                        disabled={disabled || !!known}
                        className="w-28"
                      >
                        {TRAIT_TYPES.map((t) => (
                          <option key={t} value={t}>
                            {TYPE_LABELS[t]}
                          </option>
                        ))}
                      </Select>
                      <span className="text-xs text-slate-500">{known ? `registered (${known.type})` : 'new trait'}</span>
                    </>
                  )}
                </div>
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
