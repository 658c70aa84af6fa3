import type { TrackingCall } from './calls';
import { ingestCalls, type IngestResult } from './ingest';

/**
 * Group commit for tracking requests. Requests that arrive while a transaction is running wait and
 * are then stored together, in one set-based transaction (lib/tracking/ingest.ts) in arrival order, as
 * if they had been one batch: under load, one lookup, one lock, one insert and one metrics recompute
 * serve many requests instead of each paying for its own. A request alone is stored at once.
 *
 * Every request in a group has been validated already, so a group fails only on a database error;
 * then each of its requests is stored on its own, so that one request's failure is not another's.
 *
 * One group at a time. Two in parallel were measured slower at every load (bench:ingest, 2,500 and
 * 4,000 events/s): under load, groups name the same profiles, so the second waits on the first's row
 * locks anyway, or both create the same new visitor and one retries; one at a time, each group takes
 * all that waited, and the work per event falls.
 */
const PARALLEL_GROUPS = 1;
/** A bound on one transaction's size (its row locks and statement sizes), in calls. */
const MAX_GROUP_CALLS = 2_000;

interface Pending {
  calls: TrackingCall[];
  resolve: (result: StoredCalls) => void;
  reject: (error: unknown) => void;
  queuedAt: number;
}

/** The result of the transaction that stored a request's calls, and how long the request waited for it to start. */
export type StoredCalls = IngestResult & { waitedMs: number };

interface State {
  pending: Pending[];
  running: number;
}

const holder = globalThis as unknown as { tagwiseIngestQueue?: State };
const state: State = (holder.tagwiseIngestQueue ??= { pending: [], running: 0 });

/** Stores one request's calls; resolves with the result of the transaction that stored them. */
export function storeCalls(calls: TrackingCall[]): Promise<StoredCalls> {
  if (calls.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0, events: 0, merges: 0, profileIds: [], waitedMs: 0 });
  return new Promise((resolve, reject) => {
    state.pending.push({ calls, resolve, reject, queuedAt: performance.now() });
    pump();
  });
}

function pump(): void {
  while (state.running < PARALLEL_GROUPS && state.pending.length > 0) {
    const group: Pending[] = [];
    let size = 0;
    while (state.pending.length > 0 && (group.length === 0 || size + state.pending[0]!.calls.length <= MAX_GROUP_CALLS)) {
      const next = state.pending.shift()!;
      group.push(next);
      size += next.calls.length;
    }
    state.running++;
    void runGroup(group).finally(() => {
      state.running--;
      pump();
    });
  }
}

async function runGroup(group: Pending[]): Promise<void> {
  const started = performance.now();
  const done = (p: Pending) => (result: IngestResult) => p.resolve({ ...result, waitedMs: started - p.queuedAt });
  if (group.length === 1) {
    const only = group[0]!;
    await ingestCalls(only.calls).then(done(only), only.reject);
    return;
  }
  // One index space for the planner, which keys calls by index; arrival order is kept.
  let offset = 0;
  const calls = group.flatMap((p) => {
    const renumbered = p.calls.map((c) => ({ ...c, index: offset + c.index }));
    offset += p.calls.reduce((max, c) => Math.max(max, c.index + 1), 0);
    return renumbered;
  });
  try {
    const result = await ingestCalls(calls);
    // Each request learns the group's profiles: they are re-evaluated together anyway.
    for (const p of group) done(p)(result);
  } catch {
    for (const p of group) await ingestCalls(p.calls).then(done(p), p.reject);
  }
}
