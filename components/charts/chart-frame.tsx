import type { ReactNode } from 'react';

/** Fixed height so the chart does not jump while it measures its width; an empty state instead of a blank box. */
export function ChartFrame({ height, empty, emptyText, children, testId }: { height: number; empty: boolean; emptyText: string; children: ReactNode; testId?: string }) {
  return (
    <div style={{ height }} className="w-full" data-testid={testId}>
      {empty ? <div className="flex h-full items-center justify-center rounded-md bg-slate-50 text-sm text-slate-500">{emptyText}</div> : children}
    </div>
  );
}
