'use client';

import { useState } from 'react';
import { Timestamp } from '@/components/account/timestamp';
import { Badge } from '@/components/ui/badge';
import { ErrorMessage } from '@/components/ui/form';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { UserSummary } from '@/lib/auth/user-admin';
import { OneTimePassword } from './one-time-password';
import { RoleCell, RowActionsCell } from './user-row-controls';

export type Notice = { kind: 'error'; message: string } | { kind: 'password'; email: string; password: string };

export function UsersTable({ users, currentUserId }: { users: UserSummary[]; currentUserId: number }) {
  const [notice, setNotice] = useState<Notice | null>(null);

  return (
    <div className="space-y-3">
      {notice?.kind === 'error' && <ErrorMessage>{notice.message}</ErrorMessage>}
      {notice?.kind === 'password' && <OneTimePassword email={notice.email} password={notice.password} onDismiss={() => setNotice(null)} />}
      <Table label="Users">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Last sign-in</Th>
            <Th>Created</Th>
            <Th className="text-right">Actions</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {users.length === 0 && <EmptyRow colSpan={7}>No users yet.</EmptyRow>}
          {users.map((user) => (
            <tr key={user.id} data-testid="user-row" data-user-email={user.email} className={user.active ? undefined : 'bg-slate-50 text-slate-500'}>
              <Td className="font-medium text-slate-900">
                {user.name}
                {user.id === currentUserId && <span className="ml-1 text-xs font-normal text-slate-500">(you)</span>}
              </Td>
              <Td>{user.email}</Td>
              <RoleCell key={user.role} user={user} onNotice={setNotice} />
              <Td>
                <span className="flex gap-1" data-testid="user-status">
                  {user.active ? <Badge tone="green">Active</Badge> : <Badge>Disabled</Badge>}
                  {user.mustChangePassword && <Badge tone="amber">Password change pending</Badge>}
                </span>
              </Td>
              <Td>
                <Timestamp value={user.lastSignInAt} empty="never" />
              </Td>
              <Td>
                <Timestamp value={user.createdAt} />
              </Td>
              <RowActionsCell user={user} onNotice={setNotice} />
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
