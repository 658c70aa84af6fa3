import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { CompareForm } from '@/components/audiences/compare-form';
import { formatDateTime, formatInt } from '@/components/format';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { compareVersions, type CompareList } from '@/lib/audiences/compare';
import { parsePathId } from '@/lib/audiences/ids';
import { getAudience, listVersions } from '@/lib/audiences/queries';
import { NotFoundError } from '@/lib/auth/errors';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { entityMetadata } from '../../../entity-metadata';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ from?: string; to?: string }> };

const loadAudience = cache((id: number) => getAudience(id));

export async function generateMetadata({ params }: Props) {
  return entityMetadata((await params).id, 'app.view', 'Compare versions', async (id) => {
    const audience = await loadAudience(id);
    return audience && `Compare versions · ${audience.name}`;
  });
}

const LISTS: { list: CompareList; label: string; hint: string; tone: string }[] = [
  { list: 'added', label: 'Added', hint: 'in “to”, not in “from”; their rows as frozen in “to”', tone: 'text-emerald-700' },
  { list: 'removed', label: 'Removed', hint: 'in “from”, not in “to”; their rows as frozen in “from”', tone: 'text-red-700' },
  { list: 'kept', label: 'Kept', hint: 'in both; their rows as frozen in “to”', tone: 'text-slate-800' },
];

/** Two versions side by side: who was added, removed and kept (by profile), each list downloadable. */
export default async function CompareVersionsPage({ params, searchParams }: Props) {
  const user = await requirePagePermission('app.view');
  const id = parsePathId((await params).id);
  const audience = id === null ? null : await loadAudience(id);
  if (!audience) notFound();
  const versions = await listVersions(audience.id);
  const numbers = versions.map((v) => v.number);
  const query = await searchParams;
  const from = parsePathId(query.from ?? '') ?? numbers[1] ?? numbers[0];
  const to = parsePathId(query.to ?? '') ?? numbers[0];

  let comparison = null;
  let problem: string | null = null;
  if (from !== undefined && to !== undefined) {
    try {
      comparison = await compareVersions(audience.id, from, to);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      problem = error.message;
    }
  }
  const canDownload = can(user.role, 'audience.download');

  return (
    <>
      <PageHeader
        title="Compare versions"
        description={
          <>
            Of{' '}
            <Link href={`/audiences/${audience.id}`} className="text-brand-700 hover:underline">
              {audience.name}
            </Link>
            , by profile: a profile deleted and created again counts as a new one.
          </>
        }
      />
      <div className="space-y-6">
        <Card>
          {numbers.length === 0 ? <p className="text-sm text-slate-600">This audience has no versions yet.</p> : <CompareForm audienceId={audience.id} numbers={numbers} from={from} to={to} />}
        </Card>
        {problem && (
          <p role="alert" className="text-sm text-red-700">
            {problem}
          </p>
        )}
        {comparison && (
          <>
            <p className="text-sm text-slate-600" data-testid="compare-summary">
              v{comparison.from.number} ({formatInt(comparison.from.rowCount)} rows, {formatDateTime(comparison.from.createdAt)}) → v{comparison.to.number} (
              {formatInt(comparison.to.rowCount)} rows, {formatDateTime(comparison.to.createdAt)})
            </p>
            <div className="grid gap-4 md:grid-cols-3">
              {LISTS.map(({ list, label, hint, tone }) => (
                <Card key={list}>
                  <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
                  <div className={`mt-1 text-2xl font-semibold tabular-nums ${tone}`} data-testid={`compare-${list}`} data-count={comparison[list]}>
                    {formatInt(comparison[list])}
                  </div>
                  <p className="mt-1 text-xs text-slate-500">{hint}</p>
                  {canDownload && (
                    <a
                      href={`/api/audiences/${audience.id}/compare?from=${comparison.from.number}&to=${comparison.to.number}&list=${list}`}
                      download
                      className="mt-3 inline-block text-sm font-medium text-brand-700 hover:underline"
                      data-testid={`compare-download-${list}`}
                    >
                      Download {label.toLowerCase()} as CSV
                    </a>
                  )}
                </Card>
              ))}
            </div>
          </>
        )}
      </div>
    </>
  );
}
