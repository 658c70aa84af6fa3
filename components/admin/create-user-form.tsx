'use client';

import { useState, useTransition, type FormEvent } from 'react';
import { createUserAction } from '@/app/(app)/admin/users/actions';
import { Button } from '@/components/ui/button';
import { ErrorMessage, Field, Input, Select } from '@/components/ui/form';
import { OneTimePassword } from './one-time-password';
import { RoleOptions } from './role-options';
import { useActionErrors } from '@/components/ui/use-action-errors';

type Created = { email: string; oneTimePassword: string | null };

export function CreateUserForm() {
  const [pending, startTransition] = useTransition();
  const { error, fieldErrors, accept } = useActionErrors();
  const [created, setCreated] = useState<Created | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const input = { email: String(data.get('email') ?? ''), name: String(data.get('name') ?? ''), role: String(data.get('role') ?? '') };
    startTransition(async () => {
      const result = await createUserAction(input);
      if (!accept(result)) return;
      setCreated(result.data);
      form.reset();
    });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[1fr_1fr_16rem_auto] sm:items-start" data-testid="create-user-form" noValidate>
        <Field label="Email" htmlFor="new-user-email" error={fieldErrors.email?.[0]}>
          <Input id="new-user-email" name="email" type="email" autoComplete="off" required data-testid="create-user-email" />
        </Field>
        <Field label="Name" htmlFor="new-user-name" error={fieldErrors.name?.[0]}>
          <Input id="new-user-name" name="name" maxLength={100} autoComplete="off" required data-testid="create-user-name" />
        </Field>
        <Field label="Role" htmlFor="new-user-role" error={fieldErrors.role?.[0]}>
          <Select id="new-user-role" name="role" defaultValue="VIEWER" data-testid="create-user-role">
            <RoleOptions described />
          </Select>
        </Field>
        <div className="sm:pt-6">
          <Button type="submit" disabled={pending} data-testid="create-user-submit">
            {pending ? 'Creating…' : 'Create user'}
          </Button>
        </div>
      </form>
      <ErrorMessage>{error}</ErrorMessage>
      {created?.oneTimePassword && <OneTimePassword email={created.email} password={created.oneTimePassword} onDismiss={() => setCreated(null)} />}
    </div>
  );
}
