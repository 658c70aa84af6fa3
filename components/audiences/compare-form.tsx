import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/form';

/** Pick two versions; a plain GET form, so it works before any script has loaded. */
export function CompareForm({ audienceId, numbers, from, to }: { audienceId: number; numbers: number[]; from?: number; to?: number }) {
  const newest = numbers[0];
  const previous = numbers[1] ?? newest;
  return (
    <form action={`/audiences/${audienceId}/compare`} method="get" className="flex flex-wrap items-end gap-2" data-testid="compare-form">
      <label className="text-sm text-slate-700">
        <span className="mb-1 block text-xs font-medium text-slate-500">From</span>
        <Select name="from" defaultValue={String(from ?? previous)} aria-label="Compare from version" data-testid="compare-from" className="w-28">
          {numbers.map((n) => (
            <option key={n} value={n}>
              v{n}
            </option>
          ))}
        </Select>
      </label>
      <label className="text-sm text-slate-700">
        <span className="mb-1 block text-xs font-medium text-slate-500">To</span>
        <Select name="to" defaultValue={String(to ?? newest)} aria-label="Compare to version" data-testid="compare-to" className="w-28">
          {numbers.map((n) => (
            <option key={n} value={n}>
              v{n}
            </option>
          ))}
        </Select>
      </label>
      <Button type="submit" variant="secondary" data-testid="compare-submit">
        Compare
      </Button>
    </form>
  );
}
