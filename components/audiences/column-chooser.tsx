'use client';

import { ArrowDown, ArrowUp, X } from 'lucide-react';
import { EXPORT_COLUMNS, findColumn } from '@/lib/audiences/columns';
import { PRESET_SOURCE_COLUMNS } from '@/lib/audiences/preset-options';
import { Select } from '@/components/ui/form';

/** Pick export columns and put them in order; the order is the CSV's column order. */
export function ColumnChooser({ value, onChange, disabled }: { value: string[]; onChange: (next: string[]) => void; disabled?: boolean }) {
  const available = EXPORT_COLUMNS.filter((c) => !value.includes(c.key));
  const move = (index: number, by: -1 | 1) => {
    const next = [...value];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  };
  return (
    <div className="space-y-2" data-testid="column-chooser">
      <ol className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
        {value.length === 0 && <li className="px-3 py-2 text-sm text-slate-500">No columns yet: add at least one.</li>}
        {value.map((key, i) => {
          const column = findColumn(key);
          return (
            <li key={key} className="flex items-center gap-2 px-3 py-1.5 text-sm" data-testid={`column-chosen-${key}`}>
              <span className="w-6 text-xs tabular-nums text-slate-400">{i + 1}</span>
              <span className="flex-1">
                {column?.label ?? key} <code className="text-xs text-slate-500">{column?.header ?? key}</code>
              </span>
              <IconButton label={`Move ${key} up`} disabled={disabled || i === 0} onClick={() => move(i, -1)}>
                <ArrowUp size={14} />
              </IconButton>
              <IconButton label={`Move ${key} down`} disabled={disabled || i === value.length - 1} onClick={() => move(i, 1)}>
                <ArrowDown size={14} />
              </IconButton>
              <IconButton label={`Remove ${key}`} disabled={disabled} onClick={() => onChange(value.filter((k) => k !== key))}>
                <X size={14} />
              </IconButton>
            </li>
          );
        })}
      </ol>
      {PRESET_SOURCE_COLUMNS.some((k) => !value.includes(k)) && (
        <button
          type="button"
          disabled={disabled}
          data-testid="column-add-customer-list"
          title="What the Google and Meta customer-list downloads read: e-mail, phone, first and last name, country, postal code"
          className="mr-3 text-sm font-medium text-brand-700 hover:underline disabled:opacity-40"
          onClick={() => onChange([...value, ...PRESET_SOURCE_COLUMNS.filter((k) => !value.includes(k))])}
        >
          Add the ad-platform customer-list columns
        </button>
      )}
      {available.length > 0 && (
        <Select
          aria-label="Add a column"
          data-testid="column-add"
          disabled={disabled}
          value=""
          onChange={(e) => e.target.value && onChange([...value, e.target.value])}
          className="max-w-xs"
        >
          <option value="">Add a column…</option>
          {available.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label} ({c.header})
            </option>
          ))}
        </Select>
      )}
    </div>
  );
}

function IconButton({ label, children, ...props }: { label: string; children: React.ReactNode; disabled?: boolean; onClick: () => void }) {
  return (
    <button type="button" aria-label={label} title={label} className="rounded p-1 text-slate-500 hover:bg-slate-100 disabled:opacity-30" {...props}>
      {children}
    </button>
  );
}
