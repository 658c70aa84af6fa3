'use client';

import { useCallback, useState } from 'react';
import type { ActionResult } from '@/lib/auth/action';

/**
 * The error state of a form that calls a server action: `accept(result)` shows a failed result's
 * message and field errors, clears them on success, and says whether it succeeded.
 */
export function useActionErrors() {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const accept = useCallback(<T,>(result: ActionResult<T>): result is { ok: true; data: T } => {
    setError(result.ok ? null : result.error);
    setFieldErrors(result.ok ? {} : (result.fieldErrors ?? {}));
    return result.ok;
  }, []);
  return { error, fieldErrors, accept };
}
