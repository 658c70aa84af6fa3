import { toRuleGroup } from '@/components/rules/builder-config';
import { notFound } from 'next/navigation';
import { AudienceForm } from '@/components/audiences/audience-form';
import { PageHeader } from '@/components/ui/page-header';
import { parsePathId } from '@/lib/audiences/ids';
import { getAudience } from '@/lib/audiences/queries';
import { requirePagePermission } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

export default async function EditAudiencePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePagePermission('audience.edit');
  const id = parsePathId((await params).id);
  const audience = id === null ? null : await getAudience(id);
  if (!audience) notFound();
  return (
    <>
      <PageHeader title={`Edit ${audience.name}`} description="Changes apply to the next snapshot; frozen versions keep the definition they were made with." />
      <AudienceForm
        initial={{
          id: audience.id,
          name: audience.name,
          description: audience.description,
          rules: toRuleGroup(audience.rules),
          columns: Array.isArray(audience.columns) ? audience.columns.map(String) : [],
        }}
      />
    </>
  );
}
