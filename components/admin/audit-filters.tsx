import { ButtonLink } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/form';

interface Options {
  users: { id: number; email: string; name: string }[];
  entityTypes: string[];
  actions: string[];
}

type Value = { user: string; entity: string; action: string; from: string; to: string };

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked and exported. */
export function AuditFilters({ options, value }: { options: Options; value: Value }) {
  return (
    <form method="get" action="/admin/audit" className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-3 lg:grid-cols-6" data-testid="audit-filters">
      <Field label="User" htmlFor="audit-user">
        <Select id="audit-user" name="user" defaultValue={value.user}>
          <option value="">Anyone</option>
          {options.users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.email})
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Entity" htmlFor="audit-entity">
        <Select id="audit-entity" name="entity" defaultValue={value.entity}>
          <option value="">Any</option>
          {options.entityTypes.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </Select>
      </Field>
      <Field label="Action" htmlFor="audit-action">
        <Select id="audit-action" name="action" defaultValue={value.action}>
          <option value="">Any</option>
          {options.actions.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </Select>
      </Field>
      <Field label="From (UTC)" htmlFor="audit-from">
        <Input id="audit-from" name="from" type="datetime-local" defaultValue={value.from} />
      </Field>
      <Field label="Until (UTC)" htmlFor="audit-to">
        <Input id="audit-to" name="to" type="datetime-local" defaultValue={value.to} />
      </Field>
      <div className="flex items-end gap-2">
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700" data-testid="audit-filter-submit">
          Filter
        </button>
        <ButtonLink variant="ghost" href="/admin/audit">
          Clear
        </ButtonLink>
      </div>
    </form>
  );
}
