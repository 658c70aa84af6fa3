import type pg from 'pg';
import { withTransaction } from '../db/pool';
import { addEventMetricsCtes, recomputeMetrics } from '../profiles/metrics';
import { queueProfileEvaluation, queueProfilesSql } from '../segments/pending';
import type { TrackingCall } from './calls';
import { COLUMNS, identifierKey, planIdentities, type IdentityPlan, type ProfileState, type Ref, type Snapshot, type StoredProfile } from './identity';
import { eventOf } from './mapping';

/**
 * Stores one request's accepted calls, set-based, in one transaction (docs/tracking.md):
 *  1. messageIds: identify/alias calls claim theirs in tracking_messages, event calls are checked against
 *     events.dedupe_key; calls seen before are dropped, so a retried request stores nothing twice;
 *  2. the request's identifiers are looked up and their profiles locked (in id order, so concurrent
 *     requests cannot deadlock), identities are planned in memory (lib/tracking/identity.ts);
 *  3. new profiles, merges, identities, attributes and events are written with a few multi-row statements;
 *  4. in one statement, the events are inserted, their profiles' metrics moved by them, and the touched
 *     profiles queued for re-evaluation (lib/segments/pending.ts), so stored data always reaches the
 *     tags; the caller then wakes the worker (lib/segments/realtime.ts).
 * A lost race with a concurrent request (unique key, deadlock, a profile merged away meanwhile) rolls
 * back and runs again; a merge or a changed external id or e-mail runs with the
 * segments locked first (changesKeys).
 */

export interface IngestResult {
  /** Calls stored now; the others had been stored before (same messageId). */
  accepted: number;
  duplicates: number;
  events: number;
  merges: number;
  /** Final profiles of the stored calls: the ones queued for re-evaluation. */
  profileIds: number[];
}

const RETRYABLE = new Set(['40P01', '40001', '23505', '23503']);
const MAX_ATTEMPTS = 8;

class Retry extends Error {}
/** A merge changes segment memberships and counts: it must take the segment locks before any profile lock. */
class NeedsSegmentLocks extends Error {}

export async function ingestCalls(input: TrackingCall[]): Promise<IngestResult> {
  // One messageId, one call: a request repeating one keeps its first.
  const seen = new Set<string>();
  const calls = input.filter((c) => !seen.has(c.messageId) && (seen.add(c.messageId), true));
  const repeated = input.length - calls.length;
  let exclusive = false;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await withTransaction((client) => ingestOnce(client, calls, exclusive));
      return { ...result, duplicates: result.duplicates + repeated };
    } catch (error) {
      if (error instanceof NeedsSegmentLocks && !exclusive) {
        exclusive = true;
        continue;
      }
      const code = (error as { code?: string }).code;
      const retryable = error instanceof Retry || (code !== undefined && RETRYABLE.has(code));
      if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

async function ingestOnce(client: pg.PoolClient, all: TrackingCall[], exclusive: boolean): Promise<IngestResult> {
  if (exclusive) await client.query(`SELECT id FROM segments ORDER BY id FOR UPDATE`);
  const calls = await freshCalls(client, all);
  const duplicates = all.length - calls.length;
  if (calls.length === 0) return { accepted: 0, duplicates, events: 0, merges: 0, profileIds: [] };

  const snapshot = await lockSnapshot(client, calls, exclusive);
  const plan = planIdentities(calls, snapshot);
  if (!exclusive && changesKeys(plan, snapshot)) throw new NeedsSegmentLocks();

  const ids = await insertProfiles(client, plan);
  const real = (ref: Ref): number => {
    const id = ref > 0 ? ref : ids.get(ref);
    if (id === undefined) throw new Error(`no profile for ref ${ref}`);
    return id;
  };
  const survivors = await applyMerges(client, plan, snapshot, real);
  await insertIdentities(client, plan, real);
  await updateProfiles(client, plan, real);

  const claimed = calls.filter((c) => c.type === 'identify' || c.type === 'alias');
  if (claimed.length) {
    await client.query(
      `UPDATE tracking_messages t SET profile_id = x.profile_id FROM unnest($1::text[], $2::int[]) AS x(message_id, profile_id) WHERE t.message_id = x.message_id`,
      [claimed.map((c) => c.messageId), claimed.map((c) => real(plan.profileOf.get(c.index)!))],
    );
  }
  const profileIds = [...new Set([...calls.map((c) => real(plan.profileOf.get(c.index)!)), ...survivors])].sort((a, b) => a - b);
  const withEvents = await insertEvents(client, calls, plan, real, profileIds);
  // A merge moved events onto its survivor: recounted from all of them (after the insert, so with the new ones).
  if (survivors.length) await recomputeMetrics(client, survivors);
  return { accepted: calls.length, duplicates, events: withEvents, merges: plan.merges.length, profileIds };
}

/**
 * One statement: the events of the calls (a dedupe key a concurrent retry took meanwhile is skipped),
 * their profiles' metrics moved by them, and every touched profile queued for re-evaluation.
 * Returns how many events were stored.
 */
async function insertEvents(client: pg.PoolClient, calls: TrackingCall[], plan: IdentityPlan, real: (ref: Ref) => number, profileIds: number[]): Promise<number> {
  const eventCalls = calls.map((call) => ({ call, event: eventOf(call) })).filter((e) => e.event !== null);
  if (eventCalls.length === 0) {
    await queueProfileEvaluation(client, profileIds);
    return 0;
  }
  const inserted = await client.query<{ events: number }>(
    `WITH inserted AS (
       INSERT INTO events (profile_id, type, occurred_at, revenue, properties, dedupe_key, received_at)
       SELECT x.profile_id, x.type, x.occurred_at, x.revenue, x.properties::jsonb, x.dedupe_key, x.received_at
         FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::numeric[], $5::text[], $6::text[], $7::timestamptz[])
              AS x(profile_id, type, occurred_at, revenue, properties, dedupe_key, received_at)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING profile_id, type, occurred_at, revenue
     ), ${addEventMetricsCtes('inserted')}, queued AS (${queueProfilesSql('$8')})
     SELECT count(*)::int AS events FROM inserted`,
    [
      eventCalls.map((e) => real(plan.profileOf.get(e.call.index)!)),
      eventCalls.map((e) => e.event!.type),
      eventCalls.map((e) => e.call.timestamp.toISOString()),
      eventCalls.map((e) => e.event!.revenue),
      eventCalls.map((e) => JSON.stringify(e.event!.properties)),
      eventCalls.map((e) => e.event!.dedupeKey),
      eventCalls.map((e) => e.call.receivedAt.toISOString()),
      profileIds,
    ],
  );
  return inserted.rows[0]!.events;
}

/**
 * Whether applying the plan changes a unique column of an existing profile (external_id, email) or
 * deletes one (a merge). Such a write needs a stronger row lock than the FK checks of a concurrent
 * segment swap allow, so it runs with the segment rows locked first (no swap is then in progress),
 * which is also what a merge needs to keep the segments' member counts right.
 */
function changesKeys(plan: IdentityPlan, snapshot: Snapshot): boolean {
  if (plan.merges.length > 0) return true;
  for (const [ref, state] of plan.updates) {
    const stored = snapshot.profiles.get(ref);
    if (stored && (stored.externalId !== state.externalId || stored.email !== state.email)) return true;
  }
  return false;
}

/**
 * The calls not stored before. identify/alias claim their messageId (a concurrent retry of the same
 * call waits on the key, then finds it taken); event calls are checked against events.dedupe_key,
 * and their insert ignores a key that a concurrent retry took meanwhile.
 */
async function freshCalls(client: pg.PoolClient, calls: TrackingCall[]): Promise<TrackingCall[]> {
  const claims = calls.filter((c) => c.type === 'identify' || c.type === 'alias');
  const others = calls.filter((c) => c.type !== 'identify' && c.type !== 'alias');
  const taken = new Set<string>();
  if (claims.length) {
    const sorted = [...claims].sort((a, b) => (a.messageId < b.messageId ? -1 : 1));
    const r = await client.query<{ message_id: string }>(
      `INSERT INTO tracking_messages (message_id, type) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING RETURNING message_id`,
      [sorted.map((c) => c.messageId), sorted.map((c) => c.type)],
    );
    const mine = new Set(r.rows.map((row) => row.message_id));
    for (const c of claims) if (!mine.has(c.messageId)) taken.add(c.messageId);
  }
  if (others.length) {
    const keys = others.map((c) => eventOf(c)!.dedupeKey);
    const r = await client.query<{ dedupe_key: string }>(`SELECT dedupe_key FROM events WHERE dedupe_key = ANY($1::text[])`, [keys]);
    const stored = new Set(r.rows.map((row) => row.dedupe_key));
    for (const c of others) if (stored.has(eventOf(c)!.dedupeKey)) taken.add(c.messageId);
  }
  return calls.filter((c) => !taken.has(c.messageId));
}

interface ProfileRow {
  id: number;
  external_id: string;
  anonymous: boolean;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  country: string | null;
  city: string | null;
  traits: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

/**
 * The profiles the calls' identifiers name, locked. FOR NO KEY UPDATE lets a segment swap's FK checks
 * (FOR KEY SHARE) through meanwhile; FOR UPDATE, in exclusive mode, allows key changes and deletes.
 * Looked up, locked in id order, and looked up again
 * until the lookup names only locked profiles: a concurrent merge or link between lookup and lock shows
 * up in the second lookup. An identifier unknown here and created concurrently makes our insert of it
 * fail on its unique key, and the request runs again.
 */
async function lockSnapshot(client: pg.PoolClient, calls: TrackingCall[], exclusive: boolean): Promise<Snapshot> {
  const users = new Set<string>(), anonymous = new Set<string>(), emails = new Set<string>();
  for (const c of calls) {
    if (c.userId !== null) users.add(c.userId);
    if (c.anonymousId !== null) anonymous.add(c.anonymousId);
    if (c.email !== null) emails.add(c.email);
    if (c.previousId !== null) {
      users.add(c.previousId);
      anonymous.add(c.previousId);
    }
  }
  const locked = new Map<number, StoredProfile>();
  for (let round = 0; round < 4; round++) {
    const found = await lookupIdentifiers(client, [...users], [...anonymous], [...emails]);
    const named = new Set(found.values());
    const missing = [...named].filter((id) => !locked.has(id)).sort((a, b) => a - b);
    if (missing.length === 0) {
      const profiles = new Map([...locked].filter(([id]) => named.has(id)));
      return { identifiers: found, profiles };
    }
    const rows = await client.query<ProfileRow>(
      `SELECT id, external_id, anonymous, email, first_name, last_name, country, city, traits, created_at, updated_at
         FROM profiles WHERE id = ANY($1::int[]) ORDER BY id ${exclusive ? 'FOR UPDATE' : 'FOR NO KEY UPDATE'}`,
      [missing],
    );
    for (const row of rows.rows) locked.set(row.id, toStored(row));
  }
  throw new Retry('the profiles of this request kept changing');
}

function toStored(row: ProfileRow): StoredProfile {
  return {
    id: row.id,
    externalId: row.external_id,
    anonymous: row.anonymous,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    country: row.country,
    city: row.city,
    traits: row.traits ?? {},
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** identifierKey -> profile id. A profile's own external_id and email come first, then recorded identities. */
export async function lookupIdentifiers(client: pg.ClientBase | pg.Pool, users: string[], anonymous: string[], emails: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (users.length + anonymous.length + emails.length === 0) return found;
  const r = await client.query<{ kind: 'user' | 'anonymous' | 'email'; value: string; profile_id: number }>(
    // A userId equal to an anonymous profile's placeholder names that profile (it could not be created twice).
    `SELECT 'user' AS kind, external_id AS value, id AS profile_id, 0 AS rank FROM profiles WHERE external_id = ANY($1::text[])
     UNION ALL
     SELECT 'email', email, id, 0 FROM profiles WHERE email = ANY($3::text[])
     UNION ALL
     SELECT kind::text, value, profile_id, 1 FROM profile_identities
      WHERE (kind = 'user' AND value = ANY($1::text[])) OR (kind = 'anonymous' AND value = ANY($2::text[])) OR (kind = 'email' AND value = ANY($3::text[]))
     ORDER BY rank`,
    [users, anonymous, emails],
  );
  for (const row of r.rows) {
    const key = identifierKey(row.kind, row.value);
    if (!found.has(key)) found.set(key, row.profile_id);
  }
  return found;
}

/** New profiles, in external id order (the order of their unique-key entries, as for locks). */
async function insertProfiles(client: pg.PoolClient, plan: IdentityPlan): Promise<Map<Ref, number>> {
  const ids = new Map<Ref, number>();
  if (plan.created.length === 0) return ids;
  const rows = [...plan.created].sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
  const r = await client.query<{ id: number; external_id: string }>(
    `INSERT INTO profiles (external_id, anonymous, created_at, updated_at)
     SELECT x.external_id, x.anonymous, x.created_at, x.created_at FROM unnest($1::text[], $2::boolean[], $3::timestamptz[]) AS x(external_id, anonymous, created_at)
     RETURNING id, external_id`,
    [rows.map((p) => p.externalId), rows.map((p) => p.anonymous), rows.map((p) => p.createdAt.toISOString())],
  );
  const byExternal = new Map(r.rows.map((row) => [row.external_id, row.id]));
  for (const p of plan.created) ids.set(p.ref, byExternal.get(p.externalId)!);
  return ids;
}

/**
 * Moves everything of each merged profile to its final survivor, set-based over all merges of the
 * request: events, identities, segment history and earlier merge records; pins and memberships where
 * the survivor has none for that segment (the survivor's own wins), with segment counts kept right;
 * then deletes the merged profiles and records the merges. Returns the survivors.
 */
async function applyMerges(client: pg.PoolClient, plan: IdentityPlan, snapshot: Snapshot, real: (ref: Ref) => number): Promise<number[]> {
  if (plan.merges.length === 0) return [];
  const merged = plan.merges.map((m) => real(m.merged));
  const survivor = plan.merges.map((m) => real(plan.final(m.survivor)));
  const pairs = `SELECT * FROM unnest($1::int[], $2::int[]) AS m(merged, survivor)`;
  const params = [merged, survivor];
  const anonymousOf = (ref: Ref) => snapshot.profiles.get(ref)?.anonymous ?? plan.created.find((c) => c.ref === ref)!.anonymous;
  const counts = new Map<number, Record<string, number | boolean>>(
    plan.merges.map((m, i) => [merged[i]!, { events: 0, identities: 0, pins: 0, memberships: 0, anonymous: anonymousOf(m.merged) }]),
  );
  const tally = (rows: { merged: number; n: number }[], key: string) => rows.forEach((row) => (counts.get(row.merged)![key] = row.n));

  const events = await client.query<{ merged: number; n: number }>(
    `WITH m AS (${pairs}), moved AS (UPDATE events e SET profile_id = m.survivor FROM m WHERE e.profile_id = m.merged RETURNING m.merged)
     SELECT merged, count(*)::int AS n FROM moved GROUP BY merged`,
    params,
  );
  tally(events.rows, 'events');
  const identities = await client.query<{ merged: number; n: number }>(
    `WITH m AS (${pairs}), moved AS (UPDATE profile_identities i SET profile_id = m.survivor FROM m WHERE i.profile_id = m.merged RETURNING m.merged)
     SELECT merged, count(*)::int AS n FROM moved GROUP BY merged`,
    params,
  );
  tally(identities.rows, 'identities');
  const pins = await client.query<{ merged: number; n: number }>(
    `WITH m AS (${pairs}), moved AS (
       INSERT INTO segment_pins (segment_id, profile_id, mode, reason, created_by_id, created_at)
       SELECT DISTINCT ON (sp.segment_id, m.survivor) sp.segment_id, m.survivor, sp.mode, sp.reason, sp.created_by_id, sp.created_at
         FROM segment_pins sp JOIN m ON sp.profile_id = m.merged
        ORDER BY sp.segment_id, m.survivor, sp.created_at DESC
       ON CONFLICT (segment_id, profile_id) DO NOTHING
       RETURNING profile_id)
     SELECT m.merged, count(*)::int AS n FROM moved JOIN m ON m.survivor = moved.profile_id GROUP BY m.merged`,
    params,
  );
  tally(pins.rows, 'pins');
  // A membership moves when the survivor is not a member yet; a duplicate is dropped and the count follows.
  const memberships = await client.query<{ merged: number; n: number }>(
    `WITH m AS (${pairs}),
     moved AS (
       INSERT INTO segment_memberships (segment_id, profile_id, entered_at, run_id)
       SELECT DISTINCT ON (sm.segment_id, m.survivor) sm.segment_id, m.survivor, sm.entered_at, sm.run_id
         FROM segment_memberships sm JOIN m ON sm.profile_id = m.merged
        ORDER BY sm.segment_id, m.survivor, sm.entered_at
       ON CONFLICT (segment_id, profile_id) DO NOTHING
       RETURNING segment_id, profile_id),
     dropped AS (DELETE FROM segment_memberships sm USING m WHERE sm.profile_id = m.merged RETURNING sm.segment_id),
     delta AS (
       SELECT segment_id, sum(d)::int AS d FROM (SELECT segment_id, 1 AS d FROM moved UNION ALL SELECT segment_id, -1 FROM dropped) x GROUP BY segment_id),
     counted AS (UPDATE segments s SET member_count = s.member_count + delta.d FROM delta WHERE s.id = delta.segment_id AND delta.d <> 0 RETURNING s.id)
     SELECT m.merged, count(*)::int AS n FROM moved JOIN m ON m.survivor = moved.profile_id GROUP BY m.merged`,
    params,
  );
  tally(memberships.rows, 'memberships');
  await client.query(`WITH m AS (${pairs}) UPDATE segment_membership_changes c SET profile_id = m.survivor FROM m WHERE c.profile_id = m.merged`, params);
  await client.query(`WITH m AS (${pairs}) UPDATE profile_merges pm SET survivor_id = m.survivor FROM m WHERE pm.survivor_id = m.merged`, params);
  await client.query(`DELETE FROM profiles WHERE id = ANY($1::int[])`, [merged]);

  const externalOf = (ref: Ref) => snapshot.profiles.get(ref)?.externalId ?? plan.created.find((c) => c.ref === ref)!.externalId;
  await client.query(
    `INSERT INTO profile_merges (survivor_id, merged_profile_id, merged_external_id, merged_email, reason, message_id, details, at)
     SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::timestamptz[])`,
    [
      survivor,
      merged,
      plan.merges.map((m) => externalOf(m.merged)),
      plan.merges.map((m) => snapshot.profiles.get(m.merged)?.email ?? null),
      plan.merges.map((m) => m.reason),
      plan.merges.map((m) => m.messageId),
      merged.map((id) => JSON.stringify(counts.get(id))),
      plan.merges.map((m) => m.at.toISOString()),
    ],
  );
  return [...new Set(survivor)];
}

/** Identifiers in (kind, value) order; one already taken by a concurrent request fails the unique key and we run again. */
async function insertIdentities(client: pg.PoolClient, plan: IdentityPlan, real: (ref: Ref) => number): Promise<void> {
  if (plan.identities.length === 0) return;
  const rows = [...plan.identities].sort((a, b) => (a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1));
  await client.query(
    `INSERT INTO profile_identities (kind, value, profile_id) SELECT x.kind::"IdentityKind", x.value, x.profile_id FROM unnest($1::text[], $2::text[], $3::int[]) AS x(kind, value, profile_id)`,
    [rows.map((r) => r.kind), rows.map((r) => r.value), rows.map((r) => real(r.ref))],
  );
}

async function updateProfiles(client: pg.PoolClient, plan: IdentityPlan, real: (ref: Ref) => number): Promise<void> {
  // A new profile whose plan holds nothing beyond what insertProfiles wrote (a visitor's first track
  // call, the common case) needs no second write.
  const created = new Map(plan.created.map((c) => [c.ref, c]));
  const asInserted = (ref: Ref, s: ProfileState) => {
    const c = created.get(ref);
    return (
      c !== undefined && s.externalId === c.externalId && s.anonymous === c.anonymous && s.updatedAt.getTime() === c.createdAt.getTime() &&
      COLUMNS.every((column) => s[column] === null) && Object.keys(s.traits).length === 0
    );
  };
  const changed = [...plan.updates].filter(([ref, s]) => !asInserted(ref, s));
  if (changed.length === 0) return;
  const rows = changed.map(([ref, s]) => ({
    id: real(ref),
    external_id: s.externalId,
    anonymous: s.anonymous,
    email: s.email,
    first_name: s.firstName,
    last_name: s.lastName,
    country: s.country,
    city: s.city,
    traits: s.traits,
    updated_at: s.updatedAt.toISOString(),
  }));
  await client.query(
    `UPDATE profiles p
        SET external_id = u.external_id, anonymous = u.anonymous, email = u.email, first_name = u.first_name, last_name = u.last_name,
            country = u.country, city = u.city, traits = u.traits, updated_at = u.updated_at
       FROM jsonb_to_recordset($1::jsonb) AS u(id int, external_id text, anonymous boolean, email text, first_name text, last_name text,
                                              country text, city text, traits jsonb, updated_at timestamptz)
      WHERE p.id = u.id`,
    [JSON.stringify(rows)],
  );
}
