/** "2026-06-01 12:34 UTC": the same text on the server and in every browser, no hydration drift. */
export function formatUtc(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const iso = (typeof value === 'string' ? new Date(value) : value).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const formatCount = (n: number) => n.toLocaleString('en-US');
