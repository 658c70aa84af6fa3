'use client';

export interface ScopeOption {
  id: string;
  label: string;
}

/** One checkbox per scope; `name` lets a form read them with FormData.getAll. */
export function ScopeCheckboxes({ scopes, name, defaultChecked = [], idPrefix }: { scopes: ScopeOption[]; name: string; defaultChecked?: string[]; idPrefix: string }) {
  return (
    <fieldset className="flex flex-wrap gap-x-4 gap-y-1">
      <legend className="sr-only">Scopes</legend>
      {scopes.map((s) => (
        <label key={s.id} className="flex items-center gap-1.5 text-sm text-slate-700" title={s.label} htmlFor={`${idPrefix}-${s.id}`}>
          <input type="checkbox" id={`${idPrefix}-${s.id}`} name={name} value={s.id} defaultChecked={defaultChecked.includes(s.id)} data-testid={`${idPrefix}-${s.id}`} />
          <code>{s.id}</code>
        </label>
      ))}
    </fieldset>
  );
}
