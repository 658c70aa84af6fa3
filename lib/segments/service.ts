import { audit } from '../audit';
import { NotFoundError } from '../auth/errors';
import { withTransaction, type Queryable } from '../db/pool';
import { assertValidRules, sameRules, validateSegmentInput, type SegmentInput } from './definition';
import { findCycle, referencedSegments } from './dependencies';
import { runSegmentEvaluation, type RunResult } from './evaluate';
import { ExpectedError } from '../auth/errors';
import { loadFieldCatalog } from '../traits/registry';

/**
 * Creating, editing, pausing and resuming segments. Every write validates the rules first (nothing
 * is saved when they are invalid), is audited with before/after in the same transaction, and is
 * followed by an immediate re-evaluation of that one segment, unless a run is already in progress:
 * then the next run picks it up and the segment page shows "evaluation pending".
 */
export type SegmentStatus = 'ACTIVE' | 'PAUSED';
export type EvaluationOutcome = 'evaluated' | 'pending' | 'not-needed';

export interface SaveResult {
  id: number;
  version: number;
  evaluation: EvaluationOutcome;
}

/** `now` fixes the clock (tests); by default the real time. */
export interface ServiceOptions {
  now?: Date;
  /** Added to the details of every audit entry the call writes (e.g. the API key a change came through). */
  auditDetails?: Record<string, unknown>;
}

interface StoredSegment {
  name: string;
  description: string;
  rules: unknown;
  status: SegmentStatus;
  version: number;
}

export async function createSegment(input: SegmentInput, actorId: number | null, options: ServiceOptions = {}): Promise<SaveResult> {
  const data = validateSegmentInput(input, await loadFieldCatalog());
  const now = options.now ?? new Date();
  const id = await withTransaction(async (client) => {
    assertValidRules(data.rules, await loadFieldCatalog(client, { lockShared: true }));
    await assertReferencesValid(client, null, data.name, data.rules);
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO segments (name, description, rules, created_by_id, created_at, updated_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $5) RETURNING id`,
      [data.name, data.description, JSON.stringify(data.rules), actorId, now.toISOString()],
    );
    const newId = inserted.rows[0]!.id;
    await audit({ actorId, action: 'segment.create', entityType: 'segment', entityId: newId, details: { after: { ...data, status: 'ACTIVE', version: 1 }, ...options.auditDetails } }, client);
    return newId;
  });
  return { id, version: 1, evaluation: await evaluateSegment(id, options) };
}

export async function updateSegment(id: number, input: SegmentInput, actorId: number | null, options: ServiceOptions = {}): Promise<SaveResult> {
  const data = validateSegmentInput(input, await loadFieldCatalog());
  const now = options.now ?? new Date();
  const outcome = await withTransaction(async (client) => {
    // Rules naming other segments lock every segment (assertReferencesValid); take them all first, in
    // id order as per-profile runs do, rather than this one and then the rest, which could deadlock.
    if (referencedSegments(data.rules).length > 0) await client.query(`SELECT 1 FROM segments ORDER BY id FOR UPDATE`);
    const before = await lockSegment(client, id);
    const rulesChanged = !sameRules(before.rules, data.rules);
    if (rulesChanged) {
      assertValidRules(data.rules, await loadFieldCatalog(client, { lockShared: true }));
      await assertReferencesValid(client, id, data.name, data.rules);
    }
    if (!rulesChanged && before.name === data.name && before.description === data.description) {
      return { version: before.version, changed: false, status: before.status };
    }
    const version = rulesChanged ? before.version + 1 : before.version;
    await client.query(`UPDATE segments SET name = $2, description = $3, rules = $4::jsonb, version = $5, updated_at = $6 WHERE id = $1`, [
      id,
      data.name,
      data.description,
      JSON.stringify(data.rules),
      version,
      now.toISOString(),
    ]);
    const after = { ...data, status: before.status, version };
    await audit({ actorId, action: 'segment.update', entityType: 'segment', entityId: id, details: { before, after, ...options.auditDetails } }, client);
    return { version, changed: true, status: before.status };
  });
  const evaluation = outcome.changed && outcome.status === 'ACTIVE' ? await evaluateSegment(id, options) : 'not-needed';
  return { id, version: outcome.version, evaluation };
}

/** Pause (stop re-evaluating; the tags stay as they were) or resume (re-evaluate at once). */
export async function setSegmentStatus(id: number, status: SegmentStatus, actorId: number | null, options: ServiceOptions = {}): Promise<SaveResult> {
  const now = options.now ?? new Date();
  const outcome = await withTransaction(async (client) => {
    const before = await lockSegment(client, id);
    if (before.status === status) return { version: before.version, changed: false };
    // A segment whose stored rules no longer parse (e.g. a field was retired) must be fixed before it runs again.
    if (status === 'ACTIVE') assertValidRules(before.rules, await loadFieldCatalog(client));
    await client.query(`UPDATE segments SET status = $2::"SegmentStatus", updated_at = $3 WHERE id = $1`, [id, status, now.toISOString()]);
    const action = status === 'PAUSED' ? 'segment.pause' : 'segment.resume';
    await audit({ actorId, action, entityType: 'segment', entityId: id, details: { before: { status: before.status }, after: { status }, ...options.auditDetails } }, client);
    return { version: before.version, changed: true };
  });
  const evaluation = outcome.changed && status === 'ACTIVE' ? await evaluateSegment(id, options) : 'not-needed';
  return { id, version: outcome.version, evaluation };
}

/** "Run evaluation now": all active segments, one run, or `busy` when another run holds the lock. */
export async function evaluateAllSegments(actorId: number | null, options: ServiceOptions = {}): Promise<RunResult> {
  const result = await runSegmentEvaluation({ trigger: 'MANUAL', now: options.now });
  if (result.status === 'completed') {
    await audit({
      actorId,
      action: 'segment.evaluate',
      entityType: 'segment_run',
      entityId: result.runId,
      details: { segments: result.segments.length, ...options.auditDetails },
    });
  }
  return result;
}

/**
 * Deletes a segment for good: its tags, pins, enter/leave history and run results go with it
 * (foreign keys cascade); the audit entry keeps the definition. Refused (409, naming them) while
 * another segment's or an audience's rules refer to it, since they would silently match nobody,
 * and while a full evaluation run is in progress, which would fail on the vanished segment.
 */
export async function deleteSegment(id: number, actorId: number | null, options: ServiceOptions = {}): Promise<void> {
  await withTransaction(async (client) => {
    // Locks every segment row (as saves do), so no save can add a reference while we check.
    const all = await client.query<{ id: number; name: string; rules: unknown }>(`SELECT id, name, rules FROM segments ORDER BY id FOR UPDATE`);
    const target = all.rows.find((s) => s.id === id);
    if (!target) throw new NotFoundError('The segment');
    const users = all.rows.filter((s) => s.id !== id && referencedSegments(s.rules).includes(id)).map((s) => `segment "${s.name}"`);
    const audiences = await client.query<{ id: number; name: string; rules: unknown }>(`SELECT id, name, rules FROM audiences ORDER BY id`);
    users.push(...audiences.rows.filter((a) => referencedSegments(a.rules).includes(id)).map((a) => `audience "${a.name}"`));
    if (users.length) {
      const names = users.slice(0, 5).join(', ') + (users.length > 5 ? ` and ${users.length - 5} more` : '');
      throw new ExpectedError(`Cannot delete "${target.name}": the rules of ${names} refer to it. Change those rules first.`, 409);
    }
    const running = await client.query<{ id: number }>(`SELECT id FROM segment_runs WHERE status = 'RUNNING' AND trigger <> 'PROFILE_UPDATE' LIMIT 1`);
    if (running.rows[0]) throw new ExpectedError(`An evaluation run (#${running.rows[0].id}) is in progress; delete the segment when it has finished.`, 409);
    const before = await client.query<StoredSegment & { memberCount: number }>(
      `SELECT name, description, rules, status, version, member_count AS "memberCount" FROM segments WHERE id = $1`,
      [id],
    );
    await client.query(`DELETE FROM segments WHERE id = $1`, [id]);
    await audit({ actorId, action: 'segment.delete', entityType: 'segment', entityId: id, details: { before: before.rows[0], ...options.auditDetails } }, client);
  });
}

/**
 * Segments referred to must exist, and the references must not form a cycle (no order could
 * evaluate it). `id` is null for a new segment. The message names the cycle.
 */
async function assertReferencesValid(client: Queryable, id: number | null, name: string, rules: unknown): Promise<void> {
  const refs = referencedSegments(rules);
  if (refs.length === 0) return;
  // Locks every segment row, so two saves cannot each close half of a cycle at once.
  const all = await client.query<{ id: number; name: string; rules: unknown }>(`SELECT id, name, rules FROM segments ORDER BY id FOR UPDATE`);
  const known = new Map(all.rows.map((s) => [s.id, s.name]));
  const missing = refs.filter((r) => !known.has(r));
  if (missing.length) throw new ExpectedError(`The rules refer to segment #${missing.join(', #')}, which does not exist.`);
  const self = id ?? 0; // a new segment cannot be referred to yet; 0 stands for it
  const graph = [...all.rows.filter((s) => s.id !== self), { id: self, name, rules }];
  const cycle = findCycle(graph);
  if (cycle) {
    const label = (sid: number) => JSON.stringify(sid === self ? name : (known.get(sid) ?? `#${sid}`));
    throw new ExpectedError(`These rules would make a cycle of segments, which no evaluation order can satisfy: ${cycle.map(label).join(' → ')}.`);
  }
}

async function lockSegment(client: Queryable, id: number): Promise<StoredSegment> {
  const result = await client.query<StoredSegment>(`SELECT name, description, rules, status, version FROM segments WHERE id = $1 FOR UPDATE`, [id]);
  const row = result.rows[0];
  if (!row) throw new NotFoundError('The segment');
  return row;
}

async function evaluateSegment(id: number, options: ServiceOptions): Promise<EvaluationOutcome> {
  try {
    const result = await runSegmentEvaluation({ trigger: 'DEFINITION_CHANGE', segmentIds: [id], now: options.now });
    return result.status === 'completed' ? 'evaluated' : 'pending';
  } catch (error) {
    // The definition is saved; the next scheduled run evaluates it. Do not fail the save for this.
    console.error(`evaluating segment ${id} after its change failed`, error);
    return 'pending';
  }
}
