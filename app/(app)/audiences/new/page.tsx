import { AudienceForm } from '@/components/audiences/audience-form';
import { defaultRuleGroup, toRuleGroup } from '@/components/rules/builder-config';
import { PageHeader } from '@/components/ui/page-header';
import { DEFAULT_COLUMNS } from '@/lib/audiences/columns';
import { requirePagePermission } from '@/lib/auth/session';
import { listTraitDefinitions } from '@/lib/traits/registry';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'New audience' };

export default async function NewAudiencePage() {
  await requirePagePermission('audience.edit');
  return (
    <>
      <PageHeader title="New audience" description="Define who is in the list and which columns it exports. Nothing is frozen until you freeze a snapshot." />
      <AudienceForm initial={{ name: '', description: '', rules: toRuleGroup(defaultRuleGroup()), columns: [...DEFAULT_COLUMNS] }} traits={await listTraitDefinitions()} />
    </>
  );
}
