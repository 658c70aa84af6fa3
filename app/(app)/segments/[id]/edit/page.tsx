import { notFound } from 'next/navigation';
import { cache } from 'react';
import { toRuleGroup } from '@/components/rules/builder-config';
import { SegmentForm } from '@/components/segments/segment-form';
import { PageHeader } from '@/components/ui/page-header';
import { requirePagePermission } from '@/lib/auth/session';
import { getSegment } from '@/lib/segments/queries';
import { listTraitDefinitions } from '@/lib/traits/registry';
import { entityMetadata } from '../../../entity-metadata';
import { parsePathId } from '@/lib/audiences/ids';

type Params = { params: Promise<{ id: string }> };

const loadSegment = cache(getSegment);

export async function generateMetadata({ params }: Params) {
  return entityMetadata((await params).id, 'segment.edit', 'Edit segment', async (id) => {
    const segment = await loadSegment(id);
    return segment && `Edit ${segment.name}`;
  });
}

export default async function EditSegmentPage({ params }: Params) {
  await requirePagePermission('segment.edit');
  // A number too large for the column would be a database error (500): anything but a plain id is not found.
  const id = parsePathId((await params).id) ?? 0;
  const [segment, traits] = await Promise.all([id > 0 ? loadSegment(id) : null, listTraitDefinitions()]);
  if (!segment) notFound();
  return (
    <>
      <PageHeader title={`Edit ${segment.name}`} description={`Version ${segment.version}. Changing the rules makes version ${segment.version + 1} and re-evaluates the segment.`} />
      <SegmentForm initial={{ id: segment.id, name: segment.name, description: segment.description, rules: toRuleGroup(segment.rules) }} traits={traits} />
    </>
  );
}
