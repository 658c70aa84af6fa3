import { notFound } from 'next/navigation';
import { cache } from 'react';
import { CompareForm } from '@/components/audiences/compare-form';
import { definitionChanges } from '@/components/audiences/definition-change';
import { loadFieldCatalog } from '@/lib/traits/registry';
import { FreezeButton } from '@/components/audiences/freeze-button';
import { UploadListForm } from '@/components/audiences/upload-list-form';
import { formatDateTime } from '@/components/format';
import { VersionsTable } from '@/components/audiences/versions-table';
import { LineSeriesChart } from '@/components/charts/line-series-chart';
import { CHART_COLORS } from '@/components/charts/theme';
import { RuleSummary } from '@/components/rules/rule-summary';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { findColumn } from '@/lib/audiences/columns';
import { parsePathId } from '@/lib/audiences/ids';
import { getAudience, listVersions } from '@/lib/audiences/queries';
import { listSegments } from '@/lib/segments/queries';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { entityMetadata } from '../../entity-metadata';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

/** One read per request for the title and the page. */
const loadAudience = cache((id: number) => getAudience(id));

export async function generateMetadata({ params }: Params) {
  return entityMetadata((await params).id, 'app.view', 'Audience', async (id) => (await loadAudience(id))?.name);
}

export default async function AudiencePage({ params }: Params) {
  const user = await requirePagePermission('app.view');
  const id = parsePathId((await params).id);
  const audience = id === null ? null : await loadAudience(id);
  if (!audience) notFound();
  const versions = await listVersions(audience.id);
  const columns = Array.isArray(audience.columns) ? audience.columns.map(String) : [];
  // Segment names for membership conditions, only when some version refers to a segment.
  const refersToSegments = versions.some((v) => JSON.stringify(v.rules ?? null).includes('"field":"segment"'));
  const names = refersToSegments ? new Map((await listSegments()).map((s) => [s.id, s.name])) : undefined;
  const changes = Object.fromEntries(definitionChanges(versions, { segmentNames: names, catalog: await loadFieldCatalog() }));

  return (
    <>
      <PageHeader
        title={<span data-testid="audience-title">{audience.name}</span>}
        description={audience.description || undefined}
        actions={
          <>
            {can(user.role, 'audience.edit') && (
              <ButtonLink variant="secondary" href={`/audiences/${audience.id}/edit`} data-testid="edit-audience">
                Edit
              </ButtonLink>
            )}
            {can(user.role, 'audience.freeze') && <FreezeButton audienceId={audience.id} versionNumbers={versions.map((v) => v.number)} />}
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Definition" className="lg:col-span-2">
          <RuleSummary rules={audience.rules} />
          <div className="mt-4 flex flex-wrap gap-1.5" data-testid="audience-columns">
            {columns.map((key) => (
              <Badge key={key} tone="blue">
                {findColumn(key)?.header ?? key}
              </Badge>
            ))}
          </div>
          <p className="mt-4 text-xs text-slate-500">
            Created {formatDateTime(audience.createdAt)}
            {audience.createdBy ? ` by ${audience.createdBy}` : ''} · last changed {formatDateTime(audience.updatedAt)}
          </p>
        </Card>
        <Card title="Rows per version">
          <LineSeriesChart
            testId="rows-chart"
            height={192}
            data={[...versions].reverse().map((v) => ({ version: `v${v.number}`, rows: v.rowCount }))}
            xKey="version"
            series={[{ key: 'rows', label: 'Rows', color: CHART_COLORS.brand }]}
            emptyText="Freeze a snapshot to start the history."
          />
        </Card>
      </div>
      <div className="mb-2 mt-8 flex flex-wrap items-end justify-between gap-3">
        <h2 className="text-sm font-semibold text-slate-700">Versions</h2>
        {versions.length > 1 && <CompareForm audienceId={audience.id} numbers={versions.map((v) => v.number)} />}
      </div>
      <VersionsTable audienceId={audience.id} versions={versions} changes={changes} canDelete={can(user.role, 'audience.version.delete')} />
      {can(user.role, 'audience.freeze') && (
        <Card title="Upload a static list as a version" className="mt-6">
          <UploadListForm audienceId={audience.id} />
        </Card>
      )}
    </>
  );
}
