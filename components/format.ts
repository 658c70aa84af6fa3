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

/** "1 profile", "1,494 profiles": the count and the noun that agrees with it. */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${integer.format(count)} ${count === 1 ? singular : plural}`;
}

/**
 * Amounts come from numeric(14,2) as text; the dataset's currency is pounds sterling.
 * The sign goes before the symbol (a true minus sign, "−£102.58"), never between symbol and digits.
 */
export function formatMoney(amount: string | number | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const n = Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  const text = money.format(Math.abs(n));
  // Rounded to pence, a tiny negative is zero and gets no sign.
  return n < 0 && text !== '0.00' ? `\u2212£${text}` : `£${text}`;
}

export function formatDuration(start: Date | string, end: Date | string | null): string {
  if (!end) return 'running';
  const ms = new Date(end).getTime() - new Date(start).getTime();
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const RUN_TRIGGERS: Record<string, string> = {
  SCHEDULE: 'schedule',
  CRON_ROUTE: 'cron route',
  MANUAL: 'manual',
  DEFINITION_CHANGE: 'definition change',
  DATA_CHANGE: 'new data',
  PROFILE_UPDATE: 'new data (some profiles)',
};

/** What started an evaluation run, in words. */
export function runTriggerLabel(trigger: string): string {
  return RUN_TRIGGERS[trigger] ?? trigger.toLowerCase();
}
