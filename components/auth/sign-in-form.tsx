'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ErrorMessage, Field, Input } from '@/components/ui/form';

export function SignInForm() {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', { email: String(form.get('email')), password: String(form.get('password')), redirect: false });
    if (!result || result.error) {
      setPending(false);
      setError(signInErrorMessage(result?.error));
      return;
    }
    // A full page load, not a client navigation: entering the signed-in area from here while the app
    // layout redirects (a pending password change sends the user to /account) left the client router
    // refetching /account forever with a blank page (Next 16).
    window.location.assign('/segments');
  }

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4">
      <Field label="Email" htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="username" required />
      </Field>
      <Field label="Password" htmlFor="password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <ErrorMessage>{error}</ErrorMessage>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}

/** next-auth reports a rejected password as "CredentialsSignin"; the server's own messages (throttle, outage) are shown as they are. */
function signInErrorMessage(code: string | null | undefined): string {
  if (code && (code.startsWith('Too many attempts') || code.startsWith('Sign-in is not available'))) return code;
  return 'Email or password is wrong, or the account is disabled.';
}
