import type { Metadata } from 'next';
import { CreateUserForm } from '@/components/admin/create-user-form';
import { UsersTable } from '@/components/admin/users-table';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requirePagePermission } from '@/lib/auth/session';
import { listUsers } from '@/lib/auth/user-admin';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const me = await requirePagePermission('users.manage');
  const users = await listUsers();
  const activeAdmins = users.filter((u) => u.role === 'ADMIN' && u.active).length;
  return (
    <>
      <PageHeader
        title="Users"
        description={`Who may sign in and what they may do. ${users.length} user${users.length === 1 ? '' : 's'}, ${activeAdmins} active admin${activeAdmins === 1 ? '' : 's'}; the last active admin cannot be demoted or disabled.`}
      />
      <div className="space-y-6">
        <Card title="Create a user">
          <CreateUserForm />
        </Card>
        <UsersTable users={users} currentUserId={me.id} />
      </div>
    </>
  );
}
