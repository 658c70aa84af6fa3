import { describe, expect, it } from 'vitest';
import { parseCall, type CallType, type TrackingCall } from './calls';
import { identifierKey, planIdentities, stableJson, type IdentityKind, type Snapshot, type StoredProfile } from './identity';

let counter = 0;
const receivedAt = new Date('2026-03-01T12:00:00Z');
function call(type: CallType, raw: Record<string, unknown>): TrackingCall {
  const r = parseCall({ messageId: `m${++counter}`, ...raw }, { type, index: counter, receivedAt });
  if (!r.ok) throw new Error(r.errors.join(' '));
  return r.call;
}

function profile(id: number, over: Partial<StoredProfile> = {}): StoredProfile {
  return {
    id,
    externalId: `user-${id}`,
    anonymous: false,
    email: null,
    firstName: null,
    lastName: null,
    country: null,
    city: null,
    traits: {},
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  };
}

function snapshot(profiles: StoredProfile[], identities: [IdentityKind, string, number][] = []): Snapshot {
  const identifiers = new Map<string, number>();
  for (const p of profiles) {
    if (!p.anonymous) identifiers.set(identifierKey('user', p.externalId), p.id);
    if (p.email) identifiers.set(identifierKey('email', p.email), p.id);
  }
  for (const [kind, value, id] of identities) identifiers.set(identifierKey(kind, value), id);
  return { identifiers, profiles: new Map(profiles.map((p) => [p.id, p])) };
}

let placeholder = 0;
const plan = (calls: TrackingCall[], snap: Snapshot) => planIdentities(calls, snap, { newExternalId: () => `anon-${++placeholder}` });

describe('planIdentities: finding and creating profiles', () => {
  it('a new userId gets a profile with that external id; a new anonymousId an anonymous one, found again by it', () => {
    const calls = [call('track', { userId: 'u1', event: 'x' }), call('track', { anonymousId: 'a1', event: 'x' }), call('page', { anonymousId: 'a1' })];
    const p = plan(calls, snapshot([]));
    expect(p.created.map((c) => [c.externalId.startsWith('anon-') ? 'anon' : c.externalId, c.anonymous])).toEqual([
      ['u1', false],
      ['anon', true],
    ]);
    expect(p.identities).toEqual([{ kind: 'anonymous', value: 'a1', ref: -2 }]);
    expect(calls.map((c) => p.profileOf.get(c.index))).toEqual([-1, -2, -2]);
    expect(p.merges).toEqual([]);
  });

  it('userId first, then anonymousId, then e-mail', () => {
    const snap = snapshot([profile(1), profile(2, { anonymous: true, externalId: 'anon-x' }), profile(3, { email: 'c@x.org' })], [['anonymous', 'a2', 2]]);
    const calls = [
      call('track', { userId: 'user-1', event: 'x' }),
      call('track', { anonymousId: 'a2', event: 'x' }),
      call('track', { anonymousId: 'new', event: 'x', context: { traits: { email: 'C@x.org' } } }),
    ];
    const p = plan(calls, snap);
    expect(calls.map((c) => p.profileOf.get(c.index))).toEqual([1, 2, 3]);
    expect(p.created).toEqual([]);
    expect(p.identities).toEqual([{ kind: 'anonymous', value: 'new', ref: 3 }]);
  });

  it('a call with a userId and a new anonymousId links the anonymous id to the user', () => {
    const p = plan([call('track', { userId: 'user-1', anonymousId: 'a9', event: 'x' })], snapshot([profile(1)]));
    expect(p.identities).toEqual([{ kind: 'anonymous', value: 'a9', ref: 1 }]);
    expect(p.merges).toEqual([]);
  });

  it('an anonymous profile that gets its first userId becomes that user (no merge), in the same request or a later one', () => {
    const same = plan([call('track', { anonymousId: 'a1', event: 'x' }), call('identify', { anonymousId: 'a1', userId: 'u1' })], snapshot([]));
    expect(same.created).toEqual([expect.objectContaining({ ref: -1, anonymous: true })]);
    expect(same.updates.get(-1)).toMatchObject({ externalId: 'u1', anonymous: false });
    expect(same.merges).toEqual([]);

    const later = plan([call('identify', { anonymousId: 'a1', userId: 'u1' })], snapshot([profile(5, { anonymous: true, externalId: 'anon-q' })], [['anonymous', 'a1', 5]]));
    expect(later.updates.get(5)).toMatchObject({ externalId: 'u1', anonymous: false });
    expect(later.created).toEqual([]);
  });

  it('an anonymous id already linked to another user stays there; the new user gets a profile of their own', () => {
    const p = plan([call('identify', { anonymousId: 'shared', userId: 'u2' })], snapshot([profile(1)], [['anonymous', 'shared', 1]]));
    expect(p.created.map((c) => c.externalId)).toEqual(['u2']);
    expect(p.profileOf.get(counter)).toBe(-1);
    expect(p.merges).toEqual([]);
    expect(p.identities).toEqual([]);
  });

  it('an e-mail never joins two users: a userId whose e-mail belongs to another user gets a new profile, without the address', () => {
    const snap = snapshot([profile(1, { email: 'ann@x.org' })]);
    const p = plan([call('identify', { userId: 'u2', traits: { email: 'ann@x.org', plan: 'pro' } })], snap);
    expect(p.created.map((c) => c.externalId)).toEqual(['u2']);
    expect(p.updates.get(-1)).toMatchObject({ email: null, traits: { email: 'ann@x.org', plan: 'pro' } });
  });

  it('an e-mail finds an anonymous profile for a userId, which it then becomes', () => {
    const snap = snapshot([profile(4, { anonymous: true, externalId: 'anon-z', email: 'z@x.org' })]);
    const p = plan([call('identify', { userId: 'u4', traits: { email: 'z@x.org' } })], snap);
    expect(p.profileOf.get(counter)).toBe(4);
    expect(p.updates.get(4)).toMatchObject({ externalId: 'u4', anonymous: false, email: 'z@x.org' });
  });
});

describe('planIdentities: merges', () => {
  it('identify linking a known anonymous id to a known user merges the anonymous profile into the user’s', () => {
    const snap = snapshot([profile(1), profile(2, { anonymous: true, externalId: 'anon-b', createdAt: new Date('2025-01-01Z') })], [['anonymous', 'a2', 2]]);
    const identify = call('identify', { userId: 'user-1', anonymousId: 'a2' });
    const p = plan([identify], snap);
    expect(p.merges).toEqual([{ merged: 2, survivor: 1, reason: 'identify', messageId: identify.messageId, at: identify.timestamp }]);
    expect(p.final(2)).toBe(1);
    expect(p.identities).toEqual([]); // a2 moves with the merged profile's identities
  });

  it('alias merges two users into the older profile; the other’s user id stays findable', () => {
    const snap = snapshot([profile(1, { createdAt: new Date('2026-02-01Z') }), profile(2, { createdAt: new Date('2025-02-01Z') })]);
    const alias = call('alias', { previousId: 'user-1', userId: 'user-2' });
    const p = plan([alias, call('track', { userId: 'user-1', event: 'x' })], snap);
    expect(p.merges).toEqual([expect.objectContaining({ merged: 1, survivor: 2, reason: 'alias' })]);
    expect(p.identities).toEqual([{ kind: 'user', value: 'user-1', ref: 2 }]);
    expect([...p.profileOf.values()]).toEqual([2, 2]);
  });

  it('alias of an anonymous profile into a user keeps the user (the one with a userId), whatever their ages', () => {
    const snap = snapshot([profile(1, { createdAt: new Date('2026-02-01Z') }), profile(2, { anonymous: true, externalId: 'anon-c', createdAt: new Date('2020-01-01Z') })], [['anonymous', 'a', 2]]);
    const p = plan([call('alias', { previousId: 'a', userId: 'user-1' })], snap);
    expect(p.merges).toEqual([expect.objectContaining({ merged: 2, survivor: 1 })]);
    expect(p.identities).toEqual([]); // an anonymous profile's placeholder id is not an identity
  });

  it('alias with an unknown previous id records it as an anonymous id of the user; with an unknown user, adds the user id', () => {
    const known = plan([call('alias', { previousId: 'old-anon', userId: 'user-1' })], snapshot([profile(1)]));
    expect(known.identities).toEqual([{ kind: 'anonymous', value: 'old-anon', ref: 1 }]);
    const newUser = plan([call('alias', { previousId: 'user-1', userId: 'renamed' })], snapshot([profile(1)]));
    expect(newUser.identities).toEqual([{ kind: 'user', value: 'renamed', ref: 1 }]);
    expect(newUser.created).toEqual([]);
  });

  it('a visitor first seen in this very request is folded into the user: not created, no merge recorded', () => {
    const calls = [call('page', { anonymousId: 'fresh' }), call('identify', { anonymousId: 'fresh', userId: 'user-1', traits: { plan: 'pro' } })];
    const p = plan(calls, snapshot([profile(1)]));
    expect(p.created).toEqual([]);
    expect(p.merges).toEqual([]);
    expect(calls.map((c) => p.profileOf.get(c.index))).toEqual([1, 1]);
    expect(p.identities).toEqual([{ kind: 'anonymous', value: 'fresh', ref: 1 }]);
    expect(p.updates.get(1)).toMatchObject({ traits: { plan: 'pro' } });
  });

  it('chains of merges in one request end on one survivor', () => {
    const snap = snapshot(
      [profile(1, { createdAt: new Date('2024-01-01Z') }), profile(2, { anonymous: true, externalId: 'anon-2' }), profile(3, { createdAt: new Date('2025-01-01Z') })],
      [['anonymous', 'a2', 2]],
    );
    const p = plan([call('identify', { userId: 'user-3', anonymousId: 'a2' }), call('alias', { previousId: 'user-3', userId: 'user-1' })], snap);
    expect(p.merges.map((m) => [m.merged, m.survivor])).toEqual([
      [2, 3],
      [3, 1],
    ]);
    expect([p.final(2), p.final(3)]).toEqual([1, 1]);
    expect([...p.profileOf.values()]).toEqual([1, 1]);
  });
});

describe('planIdentities: traits and columns, newer wins', () => {
  const t = (s: string) => new Date(s);
  it('identify traits go into traits; the well-known ones into columns too', () => {
    const p = plan([call('identify', { userId: 'user-1', traits: { email: 'Ann@X.org', firstName: 'Ann', address: { country: 'France', city: 'Lyon' }, plan: 'pro' }, timestamp: '2026-03-01T10:00:00Z' })], snapshot([profile(1, { traits: { old: 1 } })]));
    expect(p.updates.get(1)).toEqual({
      externalId: 'user-1',
      anonymous: false,
      email: 'ann@x.org',
      firstName: 'Ann',
      lastName: null,
      country: 'France',
      city: 'Lyon',
      traits: { old: 1, email: 'Ann@X.org', firstName: 'Ann', address: { country: 'France', city: 'Lyon' }, plan: 'pro' },
      updatedAt: t('2026-03-01T10:00:00Z'),
    });
  });

  it('calls apply in timestamp order; one older than the profile’s last update only fills what is missing', () => {
    const stored = profile(1, { traits: { plan: 'pro' }, country: 'Spain', updatedAt: t('2026-02-15T00:00:00Z') });
    const p = plan(
      [
        call('identify', { userId: 'user-1', traits: { plan: 'enterprise', seats: 9 }, timestamp: '2026-03-01T09:00:00Z' }),
        call('identify', { userId: 'user-1', traits: { plan: 'free', seats: 1, color: 'red' }, timestamp: '2026-02-28T09:00:00Z' }),
        call('identify', { userId: 'user-1', traits: { plan: 'trial', country: 'Italy', firstName: 'Old' }, timestamp: '2026-01-01T00:00:00Z' }),
      ],
      snapshot([stored]),
    );
    expect(p.updates.get(1)).toMatchObject({ traits: { plan: 'enterprise', seats: 9, color: 'red', country: 'Italy', firstName: 'Old' }, country: 'Spain', firstName: 'Old', updatedAt: t('2026-03-01T09:00:00Z') });
  });

  it('a merge keeps the most recently updated profile’s value per key, and the other e-mail as an identity', () => {
    const snap = snapshot(
      [
        profile(1, { email: 'one@x.org', firstName: 'Ann', traits: { plan: 'free', a: 1 }, updatedAt: t('2026-01-01Z') }),
        profile(2, { email: 'two@x.org', city: 'Oslo', traits: { plan: 'pro', b: 2 }, updatedAt: t('2026-02-01Z'), createdAt: t('2026-02-01Z') }),
      ],
      [],
    );
    const p = plan([call('alias', { previousId: 'user-2', userId: 'user-1' })], snap);
    expect(p.merges).toEqual([expect.objectContaining({ merged: 2, survivor: 1 })]);
    expect(p.updates.get(1)).toMatchObject({ externalId: 'user-1', email: 'two@x.org', firstName: 'Ann', city: 'Oslo', traits: { plan: 'pro', a: 1, b: 2 }, updatedAt: t('2026-02-01Z') });
    expect(p.identities).toEqual(
      expect.arrayContaining([
        { kind: 'user', value: 'user-2', ref: 1 },
        { kind: 'email', value: 'one@x.org', ref: 1 },
      ]),
    );
  });

  it('a profile whose calls change nothing is not updated', () => {
    const stored = profile(1, { traits: { b: 1, a: 2 }, updatedAt: t('2026-03-01T10:00:00Z') });
    const p = plan([call('track', { userId: 'user-1', event: 'x' })], snapshot([stored]));
    expect(p.updates.size).toBe(0);
    expect(stableJson({ b: 1, a: { d: 1, c: 2 } })).toBe(stableJson({ a: { c: 2, d: 1 }, b: 1 }));
  });
});
