import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { RecentSignIns } from '@/components/account/recent-sign-ins';
import { Timestamp } from '@/components/account/timestamp';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { requirePagePermission } from '@/lib/auth/session';
import { recentSignIns } from '@/lib/auth/sign-in-throttle';
import { getAccount } from '@/lib/auth/users';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const me = await requirePagePermission('app.view');
  const [account, signIns] = await Promise.all([getAccount(me.id), recentSignIns(me.id, 10)]);
  return (
    <>
      <PageHeader title="Your account" />
      {account.mustChangePassword && (
        <div role="alert" className="mb-6 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="password-change-required">
          Your password was set by an administrator. Choose your own password to continue.
        </div>
      )}
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="Profile">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm" data-testid="account-details">
            <dt className="text-slate-500">Name</dt>
            <dd>{account.name}</dd>
            <dt className="text-slate-500">Email</dt>
            <dd>{account.email}</dd>
            <dt className="text-slate-500">Role</dt>
            <dd>
              <Badge tone="blue">{account.role.toLowerCase()}</Badge>
            </dd>
            <dt className="text-slate-500">Last sign-in</dt>
            <dd>
              <Timestamp value={account.lastSignInAt} empty="never" />
            </dd>
            <dt className="text-slate-500">Member since</dt>
            <dd>
              <Timestamp value={account.createdAt} />
            </dd>
          </dl>
        </Card>
        <Card title="Change password">
          <ChangePasswordForm email={account.email} minLength={MIN_PASSWORD_LENGTH} required={account.mustChangePassword} />
        </Card>
      </div>
      <section className="mt-6">
        <h2 className="mb-2 text-sm font-semibold text-slate-700">Your last 10 sign-ins</h2>
        <RecentSignIns signIns={signIns} />
      </section>
    </>
  );
}
