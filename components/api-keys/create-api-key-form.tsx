'use client';

import { useState, useTransition, type FormEvent } from 'react';
import { createApiKeyAction } from '@/app/(app)/admin/api-keys/actions';
import { Button } from '@/components/ui/button';
import { ErrorMessage, Field, Input } from '@/components/ui/form';
import { useActionErrors } from '@/components/ui/use-action-errors';
import { ScopeCheckboxes, type ScopeOption } from './scope-checkboxes';

type Created = { name: string; prefix: string; key: string };

export function CreateApiKeyForm({ scopes }: { scopes: ScopeOption[] }) {
  const [pending, startTransition] = useTransition();
  const { error, fieldErrors, accept } = useActionErrors();
  const [created, setCreated] = useState<Created | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const input = { name: String(data.get('name') ?? ''), scopes: data.getAll('scopes').map(String) };
    startTransition(async () => {
      const result = await createApiKeyAction(input);
      if (!accept(result)) return;
      setCreated(result.data);
      form.reset();
    });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="space-y-3" data-testid="create-api-key-form" noValidate>
        <div className="grid gap-3 sm:grid-cols-[20rem_1fr] sm:items-start">
          <Field label="Name" htmlFor="new-api-key-name" error={fieldErrors.name?.[0]} hint="Who or what uses it, e.g. “Google Ads upload job”.">
            <Input id="new-api-key-name" name="name" maxLength={100} autoComplete="off" required data-testid="create-api-key-name" />
          </Field>
          <div className="space-y-1">
            <span className="block text-sm font-medium text-slate-700">Scopes</span>
            <ScopeCheckboxes scopes={scopes} name="scopes" idPrefix="create-scope" defaultChecked={['audience:download']} />
            {fieldErrors.scopes?.[0] && (
              <p className="text-xs text-red-600" role="alert">
                {fieldErrors.scopes[0]}
              </p>
            )}
          </div>
        </div>
        <Button type="submit" disabled={pending} data-testid="create-api-key-submit">
          {pending ? 'Creating…' : 'Create key'}
        </Button>
      </form>
      <ErrorMessage>{error}</ErrorMessage>
      {created && <NewKey created={created} onDismiss={() => setCreated(null)} />}
    </div>
  );
}

/** The key, exactly once: after "Done" (or leaving the page) nobody can see it again. */
function NewKey({ created, onDismiss }: { created: Created; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="space-y-2 rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200" data-testid="new-api-key-panel">
      <p className="text-amber-900">
        The key <strong>{created.name}</strong>. Copy it now: it is shown only this once and cannot be recovered (revoke it and create another if it is lost).
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="select-all break-all rounded bg-white px-2 py-1 font-mono text-sm ring-1 ring-amber-200" data-testid="new-api-key">
          {created.key}
        </code>
        <Button
          variant="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(created.key);
              setCopied(true);
            } catch {
              setCopied(false); // clipboard blocked (plain http): the key stays selectable
            }
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button variant="ghost" onClick={onDismiss} data-testid="new-api-key-done">
          Done
        </Button>
      </div>
    </div>
  );
}
