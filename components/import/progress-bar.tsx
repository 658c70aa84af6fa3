import clsx from 'clsx';

/** A labelled progress bar; without `value` it is indeterminate (working, amount unknown). */
export function ProgressBar({ label, value, text, testId }: { label: string; value: number | null; text: string; testId?: string }) {
  const percent = value === null ? null : Math.max(0, Math.min(100, Math.round(value * 100)));
  return (
    <div className="space-y-1" data-testid={testId}>
      <div className="flex justify-between text-xs text-slate-600">
        <span>{text}</span>
        {percent !== null && <span className="tabular-nums">{percent}%</span>}
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={text}
        className="h-2 overflow-hidden rounded-full bg-slate-200"
      >
        <div className={clsx('h-full rounded-full bg-brand-600 transition-all', percent === null && 'w-1/3 animate-pulse')} style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
    </div>
  );
}
