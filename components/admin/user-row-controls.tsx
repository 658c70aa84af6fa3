'use client';

import { useState, useTransition } from 'react';
import { changeRoleAction, resetPasswordAction, setActiveAction } from '@/app/(app)/admin/users/actions';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/form';
import { Td } from '@/components/ui/table';
import type { Role } from '@/lib/auth/permissions';
import type { UserSummary } from '@/lib/auth/user-admin';
import { RoleOptions } from './role-options';
import type { Notice } from './users-table';

type Props = { user: UserSummary; onNotice: (notice: Notice | null) => void };

/** The role select of one row; a refused change (e.g. the last active admin) snaps back and says why. */
export function RoleCell({ user, onNotice }: Props) {
  const [role, setRole] = useState<Role>(user.role);
  const [pending, startTransition] = useTransition();

  function change(next: Role) {
    const previous = role;
    setRole(next);
    startTransition(async () => {
      const result = await changeRoleAction({ userId: user.id, role: next });
      if (result.ok) {
        onNotice(null);
      } else {
        setRole(previous);
        onNotice({ kind: 'error', message: result.error });
      }
    });
  }

  return (
    <Td>
      <Select
        aria-label={`Role of ${user.email}`}
        value={role}
        disabled={pending}
        onChange={(e) => change(e.target.value as Role)}
        className="w-auto min-w-28"
        data-testid="user-role-select"
      >
        <RoleOptions />
      </Select>
    </Td>
  );
}

/** Disable/enable and password reset; the reset asks for a second click, because the old password stops working at once. */
export function RowActionsCell({ user, onNotice }: Props) {
  const [pending, startTransition] = useTransition();
  const [confirmReset, setConfirmReset] = useState(false);

  function toggleActive() {
    startTransition(async () => {
      const result = await setActiveAction({ userId: user.id, active: !user.active });
      onNotice(result.ok ? null : { kind: 'error', message: result.error });
    });
  }

  function reset() {
    if (!confirmReset) {
      setConfirmReset(true);
      return;
    }
    setConfirmReset(false);
    startTransition(async () => {
      const result = await resetPasswordAction({ userId: user.id });
      onNotice(result.ok ? { kind: 'password', email: result.data.email, password: result.data.oneTimePassword } : { kind: 'error', message: result.error });
    });
  }

  return (
    <Td className="text-right">
      <span className="inline-flex gap-2">
        <Button variant={user.active ? 'secondary' : 'primary'} disabled={pending} onClick={toggleActive} data-testid={user.active ? 'user-disable' : 'user-enable'}>
          {user.active ? 'Disable' : 'Enable'}
        </Button>
        <Button variant={confirmReset ? 'danger' : 'secondary'} disabled={pending} onClick={reset} onBlur={() => setConfirmReset(false)} data-testid="user-reset-password">
          {confirmReset ? 'Confirm reset' : 'Reset password'}
        </Button>
      </span>
    </Td>
  );
}
