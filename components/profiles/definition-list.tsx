import type { ReactNode } from 'react';

/** Label/value pairs for a profile's attributes and metrics. */
export function DefinitionList({ items }: { items: [label: string, value: ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5 text-sm">
      {items.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="text-slate-900 break-all">{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
