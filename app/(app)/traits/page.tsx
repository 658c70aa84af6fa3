import type { Metadata } from 'next';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { DiscoveredKeys } from '@/components/traits/discovered-keys';
import { RegisterTraitForm } from '@/components/traits/register-trait-form';
import { TraitsTable, type TraitRow } from '@/components/traits/traits-table';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { discoverTraitKeys, listTraitDefinitions, traitStats } from '@/lib/traits/registry';

export const metadata: Metadata = { title: 'Traits' };

export default async function TraitsPage() {
  const user = await requirePagePermission('app.view');
  const canManage = can(user.role, 'traits.manage');
  const [traits, stats, found] = await Promise.all([listTraitDefinitions(), traitStats(), discoverTraitKeys()]);
  const byKey = new Map(stats.map((s) => [s.key, s]));
  const rows: TraitRow[] = traits.map((t) => ({ ...t, withValue: byKey.get(t.key)?.withValue ?? 0, wrongType: byKey.get(t.key)?.wrongType ?? 0 }));
  return (
    <>
      <PageHeader
        title="Traits"
        description="Custom traits are the free-form values in a profile's data. Registering a key with a type makes it a field in the rule builder; a value of another type matches no condition but “is not empty”."
      />
      <div className="space-y-6">
        <Card title="Registered traits">
          <TraitsTable traits={rows} canManage={canManage} />
          <p className="mt-2 text-xs text-slate-500">
            A trait&rsquo;s type cannot change, nor can it be removed, while a segment or audience uses it: that would change what saved rules mean.
          </p>
        </Card>
        {canManage && (
          <Card title="Register a trait">
            <RegisterTraitForm />
          </Card>
        )}
        <Card title="Found in your data">
          <p className="mb-3 max-w-3xl text-sm text-slate-600">
            Keys in the profiles&rsquo; traits that are not registered, with the type all their values have (from the 50,000 most recent profiles).
          </p>
          <DiscoveredKeys keys={found} canManage={canManage} />
        </Card>
        {!canManage && <p className="text-sm text-slate-500">Your role can view traits; registering and changing them is for marketers and admins.</p>}
      </div>
    </>
  );
}
