import { evaluatePendingProfiles, PASS_LIMIT, vacuumQueue } from './pending';

/**
 * Real-time tags: the worker that drains the queue of changed profiles (lib/segments/pending.ts) in
 * this process. A writer calls evaluationRequested() after its commit; an idle worker starts a pass
 * at once, a busy one makes one more pass when the current ends, which then takes every change
 * committed meanwhile (so passes per second stay bounded under load and each change waits for at
 * most the pass in progress plus its own). One pass at a time per process: passes lock every active
 * segment, so two would only queue behind each other.
 *
 * startRealtimeEvaluation() adds a poll, for changes queued by other processes and for those a crash
 * left queued; the server starts it (instrumentation.ts).
 */

interface State {
  running: Promise<void> | null;
  again: boolean;
  /** Passes started and the last one finished, numbered: evaluationSettled waits for one that started after it was called. */
  started: number;
  finished: number;
  /** performance.now() when the last pass started. */
  lastStart: number;
  claimedSinceVacuum: number;
  poll: ReturnType<typeof setInterval> | null;
}

// One worker per process, whichever route bundle imported this module.
const holder = globalThis as unknown as { tagwiseRealtime?: State };
const state: State = (holder.tagwiseRealtime ??= { running: null, again: false, started: 0, finished: 0, lastStart: -Infinity, claimedSinceVacuum: 0, poll: null });

export function evaluationRequested(): void {
  if (state.running) state.again = true;
  else state.running = drain();
}

/**
 * Passes start at most this often: each has a fixed cost (a run row, locking the segments, a statement
 * per level), so under load fewer, larger passes leave more of the machine to the writes. A change
 * after a quiet spell starts a pass at once; otherwise the lag grows by this at most.
 */
const MIN_PASS_INTERVAL_MS = 100;
/** Queue rows claimed (so deleted) between vacuums of the queue. */
const VACUUM_AFTER_ROWS = 20_000;

async function drain(): Promise<void> {
  for (;;) {
    const wait = state.lastStart + MIN_PASS_INTERVAL_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    state.lastStart = performance.now();
    state.again = false;
    const n = ++state.started;
    let more = false;
    try {
      const { claimed } = await evaluatePendingProfiles();
      more = claimed >= PASS_LIMIT;
      state.claimedSinceVacuum += claimed;
      if (!more && state.claimedSinceVacuum >= VACUUM_AFTER_ROWS) {
        state.claimedSinceVacuum = 0;
        await vacuumQueue();
      }
    } catch (error) {
      // The rows stay queued; the next request or poll tries again.
      console.error('real-time evaluation failed', error);
    }
    state.finished = n;
    // No await between this check and giving up `running`, so a request made meanwhile is not lost.
    if (!state.again && !more) {
      state.running = null;
      return;
    }
  }
}

/**
 * Resolves once a pass that started after the call has ended: every change this process queued
 * before has then been re-evaluated, unless that pass failed. Read-your-writes for tests and for
 * callers that must answer with current tags.
 */
export async function evaluationSettled(): Promise<void> {
  const after = state.started;
  evaluationRequested();
  while (state.finished <= after) {
    if (!state.running) evaluationRequested();
    await state.running;
  }
}

export function startRealtimeEvaluation(intervalMs = 1_000): void {
  if (state.poll) return;
  state.poll = setInterval(evaluationRequested, intervalMs);
  state.poll.unref();
  evaluationRequested();
}
