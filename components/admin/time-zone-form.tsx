'use client';

import { useState, useTransition } from 'react';
import { setTimeZoneAction } from '@/app/(app)/admin/settings/actions';
import { Button } from '@/components/ui/button';
import { ErrorMessage, Field, Select } from '@/components/ui/form';

export function TimeZoneForm({ current, zones }: { current: string; zones: string[] }) {
  const [value, setValue] = useState(current);
  const [saved, setSaved] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function save() {
    startTransition(async () => {
      const result = await setTimeZoneAction({ timeZone: value });
      if (result.ok) {
        setSaved(result.data.timeZone);
        setError(null);
      } else setError(result.error);
    });
  }

  return (
    <div className="flex max-w-md flex-col gap-3">
      <Field label="Workspace time zone" htmlFor="time-zone">
        <Select id="time-zone" value={value} onChange={(e) => setValue(e.target.value)} data-testid="time-zone-select">
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </Select>
      </Field>
      <ErrorMessage>{error}</ErrorMessage>
      <div className="flex items-center gap-3">
        <Button onClick={save} disabled={pending || value === saved} data-testid="time-zone-save">
          {pending ? 'Saving…' : 'Save'}
        </Button>
        {!pending && value === saved && <span className="text-sm text-slate-500">Current: {saved}</span>}
      </div>
    </div>
  );
}
