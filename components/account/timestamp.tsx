/** A point in time as "2026-12-03 21:35 UTC": the same on server and client, unambiguous across time zones. */
export function Timestamp({ value, empty = '—' }: { value: Date | string | null; empty?: string }) {
  if (!value) return <span className="text-slate-400">{empty}</span>;
  const iso = new Date(value).toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {iso.slice(0, 16).replace('T', ' ')} UTC
    </time>
  );
}
