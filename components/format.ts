import { formatDistanceStrict } from 'date-fns';

/** Times are shown in UTC, the zone rules are evaluated in, so a page and a rule never disagree about a day. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDay(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().slice(0, 10);
}

export function formatAgo(value: Date | string | null | undefined, now = new Date()): string {
  if (!value) return 'never';
  return `${formatDistanceStrict(new Date(value), now)} ago`;
}

const integer = new Intl.NumberFormat('en-US');
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatInt(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : integer.format(n);
}

/** Amounts come from numeric(14,2) as text; the dataset's currency is pounds sterling. */
export function formatMoney(amount: string | number | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const n = Number(amount);
  return Number.isFinite(n) ? `£${money.format(n)}` : String(amount);
}

export function formatDuration(start: Date | string, end: Date | string | null): string {
  if (!end) return 'running';
  const ms = new Date(end).getTime() - new Date(start).getTime();
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
