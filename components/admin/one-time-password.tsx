'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** Shows a generated password exactly once, with a copy button; it is never stored in readable form. */
export function OneTimePassword({ email, password, onDismiss }: { email: string; password: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied(true);
    } catch {
      setCopied(false); // clipboard blocked (e.g. plain http): the password stays selectable
    }
  }

  return (
    <div role="status" className="space-y-2 rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200" data-testid="one-time-password-panel">
      <p className="text-amber-900">
        One-time password for <strong data-testid="one-time-password-email">{email}</strong>. Copy it now and give it to the user: it is shown only
        this once. They must choose their own password when they first sign in.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="select-all rounded bg-white px-2 py-1 font-mono text-base ring-1 ring-amber-200" data-testid="one-time-password">
          {password}
        </code>
        <Button variant="secondary" onClick={copy} data-testid="copy-one-time-password">
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button variant="ghost" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </div>
  );
}
