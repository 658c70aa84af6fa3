'use client';

import { Trash2 } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { deleteVersionAction } from '@/app/(app)/audiences/actions';

/** Admins only (checked again on the server): removes one frozen version for good. */
export function DeleteVersionButton({ audienceId, number }: { audienceId: number; number: number }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      disabled={pending}
      data-testid={`delete-version-${number}`}
      aria-label={`Delete version ${number}`}
      title={`Delete version ${number}`}
      className="rounded p-1 text-slate-400 hover:bg-red-50 hover:text-red-700 disabled:opacity-40"
      onClick={() => {
        if (!window.confirm(`Delete version ${number} and its rows for good? Its number will not be reused.`)) return;
        startTransition(async () => {
          const result = await deleteVersionAction({ audienceId, number });
          if (!result.ok) window.alert(result.error);
          router.refresh();
        });
      }}
    >
      <Trash2 size={14} />
    </button>
  );
}
