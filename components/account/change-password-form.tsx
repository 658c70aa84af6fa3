'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { changeOwnPasswordAction } from '@/app/(app)/account/actions';
import { Button } from '@/components/ui/button';
import { ErrorMessage, Field, Input } from '@/components/ui/form';
import { useActionErrors } from '@/components/ui/use-action-errors';

/** Current password, new one twice. After a required change the user continues to the app. */
export function ChangePasswordForm({ email, minLength, required }: { email: string; minLength: number; required: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const { error, fieldErrors, accept } = useActionErrors();
  const [done, setDone] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const input = {
      currentPassword: String(data.get('currentPassword') ?? ''),
      newPassword: String(data.get('newPassword') ?? ''),
      confirmPassword: String(data.get('confirmPassword') ?? ''),
    };
    startTransition(async () => {
      const result = await changeOwnPasswordAction(input);
      if (!accept(result)) {
        setDone(false);
        return;
      }
      // The change ended every session, this one too: sign in again with the new password.
      const again = await signIn('credentials', { email, password: input.newPassword, redirect: false });
      if (!again || again.error) {
        window.location.assign('/signin');
        return;
      }
      setDone(true);
      form.reset();
      // A full page load, as after sign-in: the client router loops on the layout's redirect otherwise.
      if (required) window.location.assign('/segments');
      else router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="max-w-sm space-y-3" data-testid="change-password-form" noValidate>
      <Field label="Current password" htmlFor="current-password" error={fieldErrors.currentPassword?.[0]}>
        <Input id="current-password" name="currentPassword" type="password" autoComplete="current-password" required data-testid="current-password" />
      </Field>
      <Field label="New password" htmlFor="new-password" error={fieldErrors.newPassword?.[0]} hint={`At least ${minLength} characters.`}>
        <Input id="new-password" name="newPassword" type="password" autoComplete="new-password" minLength={minLength} required data-testid="new-password" />
      </Field>
      <Field label="New password again" htmlFor="confirm-password" error={fieldErrors.confirmPassword?.[0]}>
        <Input id="confirm-password" name="confirmPassword" type="password" autoComplete="new-password" required data-testid="confirm-password" />
      </Field>
      <ErrorMessage>{error}</ErrorMessage>
      {done && (
        <p role="status" className="text-sm text-emerald-700" data-testid="password-changed">
          Your password has been changed.
        </p>
      )}
      <Button type="submit" disabled={pending} data-testid="change-password-submit">
        {pending ? 'Saving…' : 'Change password'}
      </Button>
    </form>
  );
}
