import { evaluateProfiles } from '../segments/evaluate';

/**
 * Real-time tags: after a tracking request commits, its profiles are re-evaluated against every active
 * segment before the request is answered, so a 200 means the tags are current.
 *
 * Concurrent requests share passes: ids that arrive while passes are running wait and go together into
 * the next one (group commit), so the number of passes per second stays bounded under load while each
 * request waits for at most the passes in progress plus its own. Two passes may overlap; they take turns
 * per segment on the segment's row lock (lib/segments/evaluate.ts), so the second pipelines behind the first.
 */
const PARALLEL_PASSES = 2;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface State {
  pending: Set<number>;
  waiters: Waiter[];
  running: number;
}

// One queue per process, whichever route bundle imported this module.
const holder = globalThis as unknown as { tagwiseRealtime?: State };
const state: State = (holder.tagwiseRealtime ??= { pending: new Set(), waiters: [], running: 0 });

/** Resolves once a pass that includes all of `profileIds` has finished (rejects when that pass failed). */
export function reevaluateProfiles(profileIds: number[]): Promise<void> {
  if (profileIds.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    for (const id of profileIds) state.pending.add(id);
    state.waiters.push({ resolve, reject });
    pump();
  });
}

function pump(): void {
  while (state.running < PARALLEL_PASSES && state.pending.size > 0) {
    const ids = [...state.pending];
    const waiters = state.waiters;
    state.pending = new Set();
    state.waiters = [];
    state.running++;
    evaluateProfiles(ids)
      .then(
        () => waiters.forEach((w) => w.resolve()),
        (error) => waiters.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        state.running--;
        pump();
      });
  }
}
