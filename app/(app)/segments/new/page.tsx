import { defaultRuleGroup } from '@/components/rules/builder-config';
import { SegmentForm } from '@/components/segments/segment-form';
import { PageHeader } from '@/components/ui/page-header';
import { requirePagePermission } from '@/lib/auth/session';
import { listTraitDefinitions } from '@/lib/traits/registry';

export const metadata = { title: 'New segment' };

export default async function NewSegmentPage() {
  await requirePagePermission('segment.edit');
  const traits = await listTraitDefinitions();
  return (
    <>
      <PageHeader title="New segment" description="Describe who belongs in it. The count updates as you build; saving tags the matching profiles at once." />
      <SegmentForm initial={{ name: '', description: '', rules: defaultRuleGroup() }} traits={traits} />
    </>
  );
}
