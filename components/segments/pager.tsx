import Link from 'next/link';
import { formatCount } from '../format';

export interface PagerProps {
  page: number;
  pageCount: number;
  total: number;
  basePath: string;
  /** The other query parameters to keep (search, filters, another pager's page). */
  params?: Record<string, string | undefined>;
  /** Singular: "member". */
  noun: string;
  /** The query parameter holding this pager's page, so two pagers can share a page. */
  pageKey?: string;
  /** Element id to scroll back to after following a link. */
  anchor?: string;
  label?: string;
  testId?: string;
}

/** Previous/next links that keep the other query parameters. */
export function Pager({ page, pageCount, total, basePath, params = {}, noun, pageKey = 'page', anchor, label = 'Pages', testId = 'pager' }: PagerProps) {
  const href = (p: number) => pageHref(basePath, params, pageKey, p, anchor);
  const link = 'rounded-md px-2.5 py-1 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50';
  const off = 'rounded-md px-2.5 py-1 text-sm text-slate-400 ring-1 ring-slate-200';
  return (
    <nav className="mt-3 flex items-center justify-between text-sm text-slate-600" aria-label={label} data-testid={testId}>
      <span>
        {formatCount(total, noun)} · page {page} of {pageCount}
      </span>
      <span className="flex gap-2">
        {page > 1 ? <Link className={link} href={href(page - 1)} rel="prev">Previous</Link> : <span className={off}>Previous</span>}
        {page < pageCount ? <Link className={link} href={href(page + 1)} rel="next" data-testid={`${testId}-next`}>Next</Link> : <span className={off}>Next</span>}
      </span>
    </nav>
  );
}

/** The link to page `p`: page 1 leaves the parameter out; empty parameters are dropped. */
export function pageHref(basePath: string, params: Record<string, string | undefined>, pageKey: string, p: number, anchor?: string): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v && k !== pageKey) search.set(k, v);
  if (p > 1) search.set(pageKey, String(p));
  const qs = search.toString();
  return `${basePath}${qs ? `?${qs}` : ''}${anchor ? `#${anchor}` : ''}`;
}

/** ?page=N from search params: a positive integer, else 1. */
export function pageParam(value: string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n > 0 ? n : 1;
}
