import { randomBytes } from 'node:crypto';
import type { TrackingCall } from './calls';
import { columnsOf, type ColumnPatch } from './mapping';

/**
 * Identity resolution for one request's calls, planned in memory over a snapshot of what the database
 * knows about the request's identifiers (lib/tracking/ingest.ts loads it and applies the plan with a
 * few set-based statements). The rules, in docs/tracking.md ("Identity"):
 *
 * - A call's profile is the one its userId names, else its anonymousId, else its e-mail; else a new one.
 * - A call carrying a userId and an anonymousId links them: the anonymous id joins the user's profile;
 *   a profile known only by that anonymous id is merged into the user's profile (or, when the user has
 *   none yet, becomes it). An anonymous id already linked to another user stays with that user.
 * - alias(previousId -> userId) says both are one person: their two profiles are merged.
 * - The survivor of a merge is the one with a userId when only one has one, else the older profile.
 *   A profile that would only have been created by this same request is not created and merged, but
 *   folded: its calls go to the survivor and no merge is recorded.
 * - An e-mail finds a profile only when the call has no userId, or the profile has none yet: one address
 *   never joins two different users.
 */

export type IdentityKind = 'anonymous' | 'user' | 'email';
/** A profile: an existing id (> 0), or a profile this plan creates (< 0). */
export type Ref = number;

/** A profile as stored: its attributes, and what never changes. */
export interface StoredProfile extends ProfileState {
  id: number;
  createdAt: Date;
}

export interface Snapshot {
  /** identifierKey(kind, value) -> profile id, for the identifiers of the request that are known. */
  identifiers: Map<string, number>;
  /** The (locked) profiles those identifiers name. */
  profiles: Map<number, StoredProfile>;
}

export const identifierKey = (kind: IdentityKind, value: string) => `${kind}\u0000${value}`;

export interface NewProfile {
  ref: Ref;
  externalId: string;
  anonymous: boolean;
  createdAt: Date;
}

export interface PlannedMerge {
  merged: Ref;
  survivor: Ref;
  reason: 'alias' | 'identify';
  messageId: string;
  at: Date;
}

export interface ProfileState {
  externalId: string;
  anonymous: boolean;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  country: string | null;
  city: string | null;
  traits: Record<string, unknown>;
  updatedAt: Date;
}

export interface IdentityPlan {
  created: NewProfile[];
  merges: PlannedMerge[];
  /** Identifiers to record, on their final profile. */
  identities: { kind: IdentityKind; value: string; ref: Ref }[];
  /** The final profile of each call, by call index. */
  profileOf: Map<number, Ref>;
  /** New attribute values of final profiles whose attributes changed (new profiles always appear). */
  updates: Map<Ref, ProfileState>;
  /** The final profile of any ref of this plan. */
  final(ref: Ref): Ref;
}

/** A placeholder external id for a profile known only by an anonymous id; not derived from it. */
export function anonymousExternalId(): string {
  return `anon-${randomBytes(10).toString('hex')}`;
}

/** The well-known attributes that are profile columns (the rest are traits). */
export const COLUMNS = ['email', 'firstName', 'lastName', 'country', 'city'] as const;

export function planIdentities(calls: TrackingCall[], snapshot: Snapshot, options: { newExternalId?: () => string } = {}): IdentityPlan {
  const newExternalId = options.newExternalId ?? anonymousExternalId;
  const parent = new Map<Ref, Ref>();
  const final = (ref: Ref): Ref => {
    let r = ref;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  const known = new Map<string, Ref>(snapshot.identifiers);
  const created: NewProfile[] = [];
  const folded = new Set<Ref>();
  const merges: PlannedMerge[] = [];
  const identities: IdentityPlan['identities'] = [];
  const profileOf = new Map<number, Ref>();
  // Identity state of every profile the plan touches: existing ones as stored, new ones as created.
  const ident = new Map<Ref, { externalId: string; anonymous: boolean; createdAt: Date }>();
  for (const p of snapshot.profiles.values()) ident.set(p.id, { externalId: p.externalId, anonymous: p.anonymous, createdAt: p.createdAt });

  const lookup = (kind: IdentityKind, value: string | null): Ref | null => {
    if (value === null) return null;
    const ref = known.get(identifierKey(kind, value));
    return ref === undefined ? null : final(ref);
  };
  const isAnonymous = (ref: Ref) => ident.get(ref)!.anonymous;
  const remember = (kind: IdentityKind, value: string, ref: Ref, record: boolean) => {
    const key = identifierKey(kind, value);
    if (known.has(key)) return;
    known.set(key, ref);
    if (record) identities.push({ kind, value, ref });
  };
  const create = (userId: string | null, at: Date): Ref => {
    const ref = -(created.length + 1);
    const externalId = userId ?? newExternalId();
    created.push({ ref, externalId, anonymous: userId === null, createdAt: at });
    ident.set(ref, { externalId, anonymous: userId === null, createdAt: at });
    if (userId !== null) remember('user', userId, ref, false); // its external_id says so
    return ref;
  };
  const promote = (ref: Ref, userId: string) => {
    const state = ident.get(ref)!;
    state.externalId = userId;
    state.anonymous = false;
    remember('user', userId, ref, false);
  };
  const olderFirst = (a: Ref, b: Ref): [Ref, Ref] => {
    const ta = ident.get(a)!.createdAt.getTime(), tb = ident.get(b)!.createdAt.getTime();
    // Existing profiles (positive ids) are older than new ones; among equals, the lower id.
    if (ta !== tb) return ta < tb ? [a, b] : [b, a];
    if ((a > 0) !== (b > 0)) return a > 0 ? [a, b] : [b, a];
    return Math.abs(a) < Math.abs(b) ? [a, b] : [b, a];
  };
  const merge = (a: Ref, b: Ref, reason: PlannedMerge['reason'], call: TrackingCall): Ref => {
    let survivor: Ref, merged: Ref;
    if (isAnonymous(a) !== isAnonymous(b)) [survivor, merged] = isAnonymous(a) ? [b, a] : [a, b];
    else [survivor, merged] = olderFirst(a, b);
    parent.set(merged, survivor);
    // A profile first seen in this very request is never created: its calls simply go to the survivor.
    if (merged < 0) folded.add(merged);
    else merges.push({ merged, survivor, reason, messageId: call.messageId, at: call.timestamp });
    const gone = ident.get(merged)!;
    // The merged profile's user id keeps finding the person, now as an identity of the survivor.
    if (!gone.anonymous) identities.push({ kind: 'user', value: gone.externalId, ref: survivor });
    return survivor;
  };

  for (const call of calls) {
    let profile: Ref;
    if (call.type === 'alias') {
      const previous = lookup('user', call.previousId) ?? lookup('anonymous', call.previousId);
      const current = lookup('user', call.userId);
      if (previous !== null && current !== null) profile = previous === current ? current : merge(previous, current, 'alias', call);
      else if (previous !== null) {
        profile = previous;
        if (isAnonymous(previous)) promote(previous, call.userId!);
        else remember('user', call.userId!, previous, true);
      } else {
        profile = current ?? create(call.userId, call.timestamp);
        // An unknown previous id is taken to be an anonymous id (the usual alias: visitor -> user).
        remember('anonymous', call.previousId!, profile, true);
      }
      profileOf.set(call.index, profile);
      continue;
    }

    const byUser = lookup('user', call.userId);
    const byAnonymous = lookup('anonymous', call.anonymousId);
    if (byUser !== null) {
      profile = byUser;
      if (byAnonymous !== null && byAnonymous !== byUser && isAnonymous(byAnonymous)) profile = merge(byAnonymous, byUser, 'identify', call);
      else if (byAnonymous === null && call.anonymousId !== null) remember('anonymous', call.anonymousId, profile, true);
    } else if (byAnonymous !== null && (call.userId === null || isAnonymous(byAnonymous))) {
      profile = byAnonymous;
      if (call.userId !== null) promote(profile, call.userId);
    } else if (byAnonymous !== null) {
      // The anonymous id belongs to another user (a shared device): this user gets a profile of their own.
      profile = create(call.userId, call.timestamp);
    } else {
      const byEmail = lookup('email', call.email);
      if (byEmail !== null && (call.userId === null || isAnonymous(byEmail))) {
        profile = byEmail;
        if (call.userId !== null) promote(profile, call.userId);
      } else profile = create(call.userId, call.timestamp);
      if (call.anonymousId !== null) remember('anonymous', call.anonymousId, profile, true);
    }
    // Later calls of this request find the profile by the address it was just identified with.
    if (call.type === 'identify' && call.email !== null) remember('email', call.email, profile, false);
    profileOf.set(call.index, profile);
  }

  for (const [index, ref] of profileOf) profileOf.set(index, final(ref));
  const updates = planAttributes(calls, snapshot, { created, parent, final, ident, known, identities, profileOf });
  return {
    created: created.filter((c) => !folded.has(c.ref)),
    merges,
    identities: identities.map((i) => ({ ...i, ref: final(i.ref) })),
    profileOf,
    updates,
    final,
  };
}

interface AttributeContext {
  created: NewProfile[];
  parent: Map<Ref, Ref>;
  final: (ref: Ref) => Ref;
  ident: Map<Ref, { externalId: string; anonymous: boolean; createdAt: Date }>;
  known: Map<string, Ref>;
  identities: IdentityPlan['identities'];
  profileOf: Map<number, Ref>;
}

/**
 * Attributes of every final profile the plan touches. "Newer wins", per key:
 * - merging: the profiles' traits are combined oldest update first, so the most recently updated
 *   profile's value of a key wins; a column keeps the newest non-empty value;
 * - identify: a call at or after the profile's updated_at (its newest data) overwrites the keys it
 *   sends; an older call (sent late, or replayed) only fills keys the profile lacks. Calls apply in
 *   timestamp order, and updated_at becomes the newest applied call's timestamp.
 */
function planAttributes(calls: TrackingCall[], snapshot: Snapshot, ctx: AttributeContext): Map<Ref, ProfileState> {
  const groups = new Map<Ref, Ref[]>();
  const refs = new Set<Ref>([...snapshot.profiles.keys(), ...ctx.created.map((c) => c.ref)]);
  for (const ref of refs) {
    const f = ctx.final(ref);
    if (!groups.has(f)) groups.set(f, []);
    groups.get(f)!.push(ref);
  }
  const identifyCalls = new Map<Ref, TrackingCall[]>();
  for (const call of calls) {
    if (call.type !== 'identify' || !call.traits) continue;
    const f = ctx.profileOf.get(call.index)!;
    if (!identifyCalls.has(f)) identifyCalls.set(f, []);
    identifyCalls.get(f)!.push(call);
  }
  // Who holds which e-mail once the plan is applied, so that no address lands on two profiles.
  const emailOwner = (email: string): Ref | null => {
    const ref = ctx.known.get(identifierKey('email', email));
    return ref === undefined ? null : ctx.final(ref);
  };

  const updates = new Map<Ref, ProfileState>();
  for (const [f, members] of groups) {
    const merged = members.length > 1;
    const calls = identifyCalls.get(f) ?? [];
    const isNew = f < 0;
    if (!merged && calls.length === 0 && !isNew && !identityChanged(f, snapshot, ctx)) continue;

    const id = ctx.ident.get(f)!;
    const stored = members
      .map((ref) => snapshot.profiles.get(ref))
      .filter((p): p is StoredProfile => p !== undefined)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.id - b.id);
    const state: ProfileState & { updatedAtKnown: boolean } = {
      externalId: id.externalId,
      anonymous: id.anonymous,
      email: null,
      firstName: null,
      lastName: null,
      country: null,
      city: null,
      traits: {},
      updatedAt: id.createdAt,
      updatedAtKnown: false,
    };
    for (const p of stored) {
      state.traits = { ...state.traits, ...p.traits };
      for (const c of COLUMNS) if (p[c] !== null) state[c] = p[c];
      state.updatedAt = p.updatedAt;
      state.updatedAtKnown = true;
    }
    const ordered = [...calls].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || a.index - b.index);
    for (const call of ordered) {
      const traits = call.traits!;
      const patch = columnsOf(traits);
      const newer = !state.updatedAtKnown || call.timestamp.getTime() >= state.updatedAt.getTime();
      if (newer) {
        state.traits = { ...state.traits, ...traits };
        state.updatedAt = call.timestamp;
        state.updatedAtKnown = true;
      } else {
        state.traits = { ...traits, ...state.traits };
      }
      for (const c of COLUMNS) {
        const value = patch[c as keyof ColumnPatch];
        if (value === undefined || (!newer && state[c] !== null)) continue;
        if (c === 'email' && value !== null) {
          const owner = emailOwner(value);
          if (owner !== null && owner !== f) continue; // someone else's address: kept in traits only
          ctx.known.set(identifierKey('email', value), f);
        }
        state[c] = value;
      }
    }
    // E-mails of merged profiles that the survivor's column does not hold stay findable as identities.
    if (merged) for (const p of stored) if (p.email !== null && p.email !== state.email) ctx.identities.push({ kind: 'email', value: p.email, ref: f });
    const { updatedAtKnown: _, ...result } = state;
    const before = snapshot.profiles.get(f);
    if (before && !merged && sameState(before, result)) continue;
    updates.set(f, result);
  }
  return updates;
}

function identityChanged(ref: Ref, snapshot: Snapshot, ctx: AttributeContext): boolean {
  const stored = snapshot.profiles.get(ref)!;
  const now = ctx.ident.get(ref)!;
  return stored.externalId !== now.externalId || stored.anonymous !== now.anonymous;
}

function sameState(p: StoredProfile, s: ProfileState): boolean {
  return (
    p.externalId === s.externalId &&
    p.anonymous === s.anonymous &&
    COLUMNS.every((c) => p[c] === s[c]) &&
    p.updatedAt.getTime() === s.updatedAt.getTime() &&
    stableJson(p.traits) === stableJson(s.traits)
  );
}

/** JSON with object keys sorted, so that equal values compare equal whatever order their keys came in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
