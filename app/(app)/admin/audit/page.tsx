import type { Metadata } from 'next';
import { AuditFilters } from '@/components/admin/audit-filters';
import { AuditTable } from '@/components/admin/audit-table';
import { ButtonLink } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { auditFilterOptions, decodeCursor, encodeCursor, listAuditEntries, parseAuditFilter, type AuditFilter } from '@/lib/audit-query';
import { requirePagePermission } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Audit log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The query string of a filter (and optionally a cursor), without empty values. */
function query(filter: AuditFilter, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams();
  if (filter.user) search.set('user', String(filter.user));
  if (filter.entity) search.set('entity', filter.entity);
  if (filter.action) search.set('action', filter.action);
  if (filter.from) search.set('from', filter.from.toISOString().slice(0, 16));
  if (filter.to) search.set('to', filter.to.toISOString().slice(0, 16));
  for (const [k, v] of Object.entries(extra)) search.set(k, v);
  const qs = search.toString();
  return qs ? `?${qs}` : '';
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePagePermission('audit.view');
  const params = await searchParams;
  const filter = parseAuditFilter(params);
  const [page, options] = await Promise.all([
    listAuditEntries(filter, { before: decodeCursor(params.before), after: decodeCursor(params.after) }),
    auditFilterOptions(),
  ]);
  const link = 'rounded-md px-2.5 py-1 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50';
  const off = 'rounded-md px-2.5 py-1 text-sm text-slate-400 ring-1 ring-slate-200';
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change: who made it, when, from which address, and what it was (before and after). Entries cannot be edited or deleted. Times are UTC."
        actions={
          <ButtonLink variant="secondary" href={`/admin/audit/csv${query(filter)}`} prefetch={false} data-testid="audit-export">
            Export CSV
          </ButtonLink>
        }
      />
      <AuditFilters
        options={options}
        value={{
          user: filter.user ? String(filter.user) : '',
          entity: filter.entity ?? '',
          action: filter.action ?? '',
          from: filter.from?.toISOString().slice(0, 16) ?? '',
          to: filter.to?.toISOString().slice(0, 16) ?? '',
        }}
      />
      <AuditTable entries={page.entries} />
      <nav className="mt-3 flex items-center justify-end gap-2 text-sm" aria-label="Audit pages" data-testid="audit-pager">
        {page.newer ? (
          <a className={link} href={`/admin/audit${query(filter, { after: encodeCursor(page.newer) })}`} rel="prev" data-testid="audit-newer">
            Newer
          </a>
        ) : (
          <span className={off}>Newer</span>
        )}
        {page.older ? (
          <a className={link} href={`/admin/audit${query(filter, { before: encodeCursor(page.older) })}`} rel="next" data-testid="audit-older">
            Older
          </a>
        ) : (
          <span className={off}>Older</span>
        )}
      </nav>
    </>
  );
}
