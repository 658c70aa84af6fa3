'use client';

import { useState, useTransition, type FormEvent } from 'react';
import { defineTraitAction } from '@/app/(app)/traits/actions';
import { Button } from '@/components/ui/button';
import { ErrorMessage, Field, Input, Select } from '@/components/ui/form';
import { useActionErrors } from '@/components/ui/use-action-errors';
import { TRAIT_TYPES } from '@/lib/traits/types';
import { TRAIT_TYPE_LABELS } from './trait-label';

/** "Register a trait": key, label and type; the registry refuses a taken, invalid or built-in key. */
export function RegisterTraitForm() {
  const [pending, startTransition] = useTransition();
  const { error, fieldErrors, accept } = useActionErrors();
  const [registered, setRegistered] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const input = { key: String(data.get('key') ?? ''), label: String(data.get('label') ?? ''), type: String(data.get('type') ?? '') };
    startTransition(async () => {
      const result = await defineTraitAction(input);
      setRegistered(null);
      if (!accept(result)) return;
      setRegistered(result.data.label);
      form.reset();
    });
  }

  return (
    <div className="space-y-3">
      <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[1fr_1fr_12rem_auto] sm:items-start" data-testid="register-trait-form" noValidate>
        <Field label="Key" htmlFor="trait-key" hint="As in the profiles' data, e.g. loyalty_tier." error={fieldErrors.key?.join(' ')}>
          <Input id="trait-key" name="key" maxLength={63} autoComplete="off" spellCheck={false} className="font-mono" required data-testid="trait-key" />
        </Field>
        <Field label="Label" htmlFor="trait-label" hint="What the rule builder shows." error={fieldErrors.label?.join(' ')}>
          <Input id="trait-label" name="label" maxLength={80} autoComplete="off" required data-testid="trait-label" />
        </Field>
        <Field label="Type" htmlFor="trait-type" error={fieldErrors.type?.join(' ')}>
          <Select id="trait-type" name="type" defaultValue="text" data-testid="trait-type">
            {TRAIT_TYPES.map((t) => (
              <option key={t} value={t}>
                {TRAIT_TYPE_LABELS[t]}
              </option>
            ))}
          </Select>
        </Field>
        <div className="sm:pt-6">
          <Button type="submit" disabled={pending} data-testid="trait-register">
            {pending ? 'Registering…' : 'Register'}
          </Button>
        </div>
      </form>
      <ErrorMessage>{error && <span data-testid="trait-form-error">{error}</span>}</ErrorMessage>
      {registered && (
        <p role="status" className="text-sm text-emerald-700" data-testid="trait-registered">
          Registered “{registered}”: it is now a field in the rule builder.
        </p>
      )}
    </div>
  );
}
