import type { Metadata } from 'next';
import { TimeZoneForm } from '@/components/admin/time-zone-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requirePagePermission } from '@/lib/auth/session';
import { getWorkspaceTimeZone, listTimeZones } from '@/lib/settings/time-zone';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  await requirePagePermission('settings.manage');
  const [current, zones] = await Promise.all([getWorkspaceTimeZone(), listTimeZones()]);
  return (
    <>
      <PageHeader title="Settings" description="Workspace settings apply to every segment, audience and user." />
      <Card title="Time zone">
        <p className="mb-3 max-w-2xl text-sm text-slate-600">
          Dates without a time in rules (&ldquo;customer since is on 2026-06-01&rdquo;, &ldquo;before 2026-03-01&rdquo;) are whole days in this zone, in
          the live count, the scheduled runs and snapshots alike. Rolling windows (&ldquo;in the last 30 days&rdquo;) are 30 × 24 hours back from now,
          whatever the zone. Times on pages and in CSV files stay in UTC.
        </p>
        <TimeZoneForm current={current} zones={zones} />
      </Card>
    </>
  );
}
