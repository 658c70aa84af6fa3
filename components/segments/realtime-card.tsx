import { formatAgo, formatCount, formatInt } from '@/components/format';
import { Card } from '@/components/ui/card';
import type { RealtimeActivity } from '@/lib/segments/queries';

/** The real-time re-evaluation after tracking calls, summed up over the last hour, and what waits now. */
export function RealtimeCard({ activity, now }: { activity: RealtimeActivity; now: Date }) {
  const { passes, failed, lastError, lastPassAt, entered, left, queued, oldestQueuedAt } = activity;
  return (
    <Card title="Real-time re-evaluation" className="mb-4">
      <div data-testid="realtime-activity" className="space-y-1 text-sm text-slate-700">
        <p>
          Tracking calls re-tag the profiles they touch within moments, without a run.{' '}
          {passes === 0 ? (
            'No tag changed that way in the last hour.'
          ) : (
            <>
              In the last hour: <span className="text-emerald-700">{formatInt(entered)} entered</span>,{' '}
              <span className="text-red-700">{formatInt(left)} left</span>, in {formatCount(passes, 'pass', 'passes')} (the last {formatAgo(lastPassAt, now)}).
            </>
          )}
        </p>
        <p>
          {queued === 0 ? 'Nothing is waiting.' : `${formatCount(queued, 'change')} waiting, the oldest queued ${formatAgo(oldestQueuedAt, now)}.`}
        </p>
        {failed > 0 && (
          <p className="text-red-700" title={lastError ?? undefined}>
            {formatCount(failed, 'pass', 'passes')} failed; the last: {lastError}. The next full run puts the tags right.
          </p>
        )}
      </div>
    </Card>
  );
}
