import { toRuleGroup } from '@/components/rules/builder-config';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { AudienceForm } from '@/components/audiences/audience-form';
import { PageHeader } from '@/components/ui/page-header';
import { parsePathId } from '@/lib/audiences/ids';
import { getAudience } from '@/lib/audiences/queries';
import { requirePagePermission } from '@/lib/auth/session';
import { listTraitDefinitions } from '@/lib/traits/registry';
import { entityMetadata } from '../../../entity-metadata';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

const loadAudience = cache((id: number) => getAudience(id));

export async function generateMetadata({ params }: Params) {
  return entityMetadata((await params).id, 'audience.edit', 'Edit audience', async (id) => {
    const audience = await loadAudience(id);
    return audience && `Edit ${audience.name}`;
  });
}

export default async function EditAudiencePage({ params }: Params) {
  await requirePagePermission('audience.edit');
  const id = parsePathId((await params).id);
  const audience = id === null ? null : await loadAudience(id);
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
        traits={await listTraitDefinitions()}
      />
    </>
  );
}
