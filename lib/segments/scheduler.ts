import { Cron } from 'croner';
import { runSegmentEvaluation } from './evaluate';

export const DEFAULT_SCHEDULE = '*/15 * * * *';

const globalForScheduler = globalThis as unknown as { tagwiseScheduler?: Cron };

/**
 * The built-in scheduler for self-hosting: runs the same evaluation as /api/cron/segments on a cron
 * expression (SEGMENT_SCHEDULE, default every 15 minutes; "off" disables it, e.g. when a hosted
 * cron service calls the route instead). Overlap with other runs is prevented by the run lock.
 */
export function startScheduler(expression = process.env.SEGMENT_SCHEDULE ?? DEFAULT_SCHEDULE): Cron | null {
  if (expression === 'off' || globalForScheduler.tagwiseScheduler) return globalForScheduler.tagwiseScheduler ?? null;
  const job = new Cron(expression, { protect: true, timezone: 'UTC', name: 'segments' }, async () => {
    try {
      const result = await runSegmentEvaluation({ trigger: 'SCHEDULE' });
      if (result.status === 'completed') {
        const entered = result.segments.reduce((n, s) => n + s.entered, 0);
        const left = result.segments.reduce((n, s) => n + s.left, 0);
        console.log(`[scheduler] run ${result.runId}: ${result.segments.length} segments, ${entered} entered, ${left} left, ${result.ms} ms`);
      } else {
        console.log(`[scheduler] skipped: run ${result.runId} is still in progress`);
      }
    } catch (error) {
      console.error('[scheduler] run failed', error);
    }
  });
  globalForScheduler.tagwiseScheduler = job;
  console.log(`[scheduler] segments re-evaluated on "${expression}" (UTC); next at ${job.nextRun()?.toISOString()}`);
  return job;
}
