import { notFound } from 'next/navigation';
import { toRuleGroup } from '@/components/rules/builder-config';
import { SegmentForm } from '@/components/segments/segment-form';
import { PageHeader } from '@/components/ui/page-header';
import { requirePagePermission } from '@/lib/auth/session';
import { getSegment } from '@/lib/segments/queries';

export const metadata = { title: 'Edit segment' };

export default async function EditSegmentPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePagePermission('segment.edit');
  const id = Number((await params).id);
  const segment = Number.isInteger(id) && id > 0 ? await getSegment(id) : null;
  if (!segment) notFound();
  return (
    <>
      <PageHeader title={`Edit ${segment.name}`} description={`Version ${segment.version}. Changing the rules makes version ${segment.version + 1} and re-evaluates the segment.`} />
      <SegmentForm initial={{ id: segment.id, name: segment.name, description: segment.description, rules: toRuleGroup(segment.rules) }} />
    </>
  );
}
