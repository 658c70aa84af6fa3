import Link from 'next/link';
import { formatCount } from '../format';

/** Previous/next links that keep the other query parameters (search, filters). `noun` is singular: "member". */
export function Pager({ page, pageCount, total, basePath, params = {}, noun }: { page: number; pageCount: number; total: number; basePath: string; params?: Record<string, string | undefined>; noun: string }) {
  const href = (p: number) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
    if (p > 1) search.set('page', String(p));
    const qs = search.toString();
    return qs ? `${basePath}?${qs}` : basePath;
  };
  const link = 'rounded-md px-2.5 py-1 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50';
  const off = 'rounded-md px-2.5 py-1 text-sm text-slate-400 ring-1 ring-slate-200';
  return (
    <nav className="mt-3 flex items-center justify-between text-sm text-slate-600" aria-label="Pages" data-testid="pager">
      <span>
        {formatCount(total, noun)} · page {page} of {pageCount}
      </span>
      <span className="flex gap-2">
        {page > 1 ? <Link className={link} href={href(page - 1)} rel="prev">Previous</Link> : <span className={off}>Previous</span>}
        {page < pageCount ? <Link className={link} href={href(page + 1)} rel="next" data-testid="pager-next">Next</Link> : <span className={off}>Next</span>}
      </span>
    </nav>
  );
}

/** ?page=N from search params: a positive integer, else 1. */
export function pageParam(value: string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n > 0 ? n : 1;
}
