import type { ReactNode } from 'react';
import { AppNav } from '@/components/app-nav';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requirePagePermission('app.view');
  return (
    <div className="min-h-screen">
      <AppNav user={{ name: user.name, email: user.email, role: user.role, isAdmin: can(user.role, 'users.manage'), canImport: can(user.role, 'import.run') }} />
      <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
    </div>
  );
}
