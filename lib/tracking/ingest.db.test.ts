import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { runSegmentEvaluation } from '../segments/evaluate';
import { useTestDatabase } from '../test/database';
import { parseBatch, type TrackingCall } from './calls';
import { ingestCalls } from './ingest';

useTestDatabase();

const receivedAt = new Date('2026-03-01T12:00:00.000Z');
let seq = 0;
function calls(...raw: Record<string, unknown>[]): TrackingCall[] {
  const r = parseBatch({ batch: raw.map((c) => ({ messageId: `msg-${++seq}`, timestamp: '2026-03-01T11:00:00Z', ...c })) }, receivedAt);
  if (!r.ok) throw new Error(r.errors.join(' '));
  return r.calls;
}
const ingest = (c: TrackingCall[]) => ingestCalls(c);
const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await getPool().query(sql, params)).rows as T[];
const profileByExternal = async (externalId: string) =>
  (await q<{ id: number } & Record<string, unknown>>(`SELECT id, external_id, anonymous, email, first_name, country, city, traits, order_count, total_spent::text, cancellation_count, updated_at FROM profiles WHERE external_id = $1`, [externalId]))[0];
const identitiesOf = async (profileId: number) => (await q<{ kind: string; value: string }>(`SELECT kind::text, value FROM profile_identities WHERE profile_id = $1 ORDER BY kind, value`, [profileId])).map((r) => `${r.kind}:${r.value}`);

beforeEach(async () => {
  await getPool().query('TRUNCATE profiles, events, segments, segment_runs, profile_identities, profile_merges, tracking_messages RESTART IDENTITY CASCADE');
});

describe('ingest: profiles, events and metrics', () => {
  it('creates profiles, stores events with the e-commerce mapping and recomputes metrics', async () => {
    const result = await ingest(
      calls(
        { type: 'track', userId: 'u1', event: 'Order Completed', properties: { orderId: 'o1', revenue: 1.005 } },
        { type: 'track', userId: 'u1', event: 'Order Completed', properties: { orderId: 'o2', total: 20 }, timestamp: '2026-03-01T11:30:00Z' },
        { type: 'track', userId: 'u1', event: 'Order Refunded', properties: { orderId: 'o2', total: 20 }, timestamp: '2026-03-01T11:45:00Z' },
        { type: 'page', userId: 'u1', name: 'Home', timestamp: '2026-03-01T11:50:00Z' },
      ),
    );
    expect(result).toMatchObject({ accepted: 4, duplicates: 0, events: 4, merges: 0 });
    const u1 = await profileByExternal('u1');
    expect(u1).toMatchObject({ anonymous: false, order_count: 2, cancellation_count: 1, total_spent: '1.01' });
    expect(result.profileIds).toEqual([u1!.id]);
    const events = await q(`SELECT type, revenue::text, occurred_at, dedupe_key, received_at FROM events ORDER BY occurred_at, id`);
    expect(events.map((e) => [e.type, e.revenue])).toEqual([
      ['order', '1.01'],
      ['order', '20.00'],
      ['order_cancelled', '-20.00'],
      ['page', null],
    ]);
    expect(events[0]).toMatchObject({ dedupe_key: expect.stringMatching(/^msg:msg-\d+$/), received_at: receivedAt });
    const metrics = await q(`SELECT first_order_at, last_order_at, last_activity_at FROM profiles WHERE id = $1`, [u1!.id]);
    expect(metrics[0]).toEqual({ first_order_at: new Date('2026-03-01T11:00:00Z'), last_order_at: new Date('2026-03-01T11:30:00Z'), last_activity_at: new Date('2026-03-01T11:50:00Z') });
  });

  it('finds the imported customer by its external id', async () => {
    const [{ id }] = (await q<{ id: number }>(`INSERT INTO profiles (external_id, country) VALUES ('17850', 'United Kingdom') RETURNING id`)) as [{ id: number }];
    await ingest(calls({ type: 'track', userId: 17850, event: 'Order Completed', properties: { revenue: 10 } }));
    expect(await q(`SELECT id, order_count FROM profiles`)).toEqual([{ id, order_count: 1 }]);
  });

  it('a retried request stores nothing twice: events, identify calls, new profiles', async () => {
    const batch = calls(
      { type: 'identify', anonymousId: 'anon-r', traits: { plan: 'pro' } },
      { type: 'track', anonymousId: 'anon-r', event: 'Order Completed', properties: { revenue: 5 } },
      { type: 'track', anonymousId: 'anon-r', event: 'Order Completed', properties: { revenue: 7 } },
    );
    expect(await ingest(batch)).toMatchObject({ accepted: 3, events: 2 });
    const again = await ingest(batch);
    expect(again).toMatchObject({ accepted: 0, duplicates: 3, events: 0, profileIds: [] });
    expect(await q(`SELECT count(*)::int AS n FROM profiles`)).toEqual([{ n: 1 }]);
    expect(await q(`SELECT count(*)::int AS n FROM events`)).toEqual([{ n: 2 }]);
    expect(await q(`SELECT type, profile_id IS NOT NULL AS linked FROM tracking_messages`)).toEqual([{ type: 'identify', linked: true }]);
    expect(await q(`SELECT order_count, total_spent::text FROM profiles`)).toEqual([{ order_count: 2, total_spent: '12.00' }]);
    // One messageId twice in one request counts once.
    const [first] = calls({ type: 'track', userId: 'twice', event: 'Clicked' });
    expect(await ingest([first!, { ...first! }])).toMatchObject({ accepted: 1, duplicates: 1, events: 1 });
  });

  it('concurrent requests for the same new visitor make one profile', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => ingest(calls({ type: 'track', anonymousId: 'racer', event: 'Product Viewed' }, { type: 'track', userId: 'racer-user', event: 'Product Viewed' }))));
    expect(results.every((r) => r.accepted === 2)).toBe(true);
    expect(await q(`SELECT anonymous, count(*)::int AS n FROM profiles GROUP BY anonymous ORDER BY anonymous`)).toEqual([
      { anonymous: false, n: 1 },
      { anonymous: true, n: 1 },
    ]);
    expect(await q(`SELECT count(*)::int AS n FROM events`)).toEqual([{ n: 12 }]);
    expect(await q(`SELECT kind::text, value FROM profile_identities`)).toEqual([{ kind: 'anonymous', value: 'racer' }]);
  });
});

describe('ingest: identity', () => {
  it('identify traits go into traits (merged, not replaced) and the well-known ones into columns', async () => {
    await ingest(calls({ type: 'identify', userId: 'ann', traits: { plan: 'free', email: 'Ann@Example.org', firstName: 'Ann', address: { country: 'France', city: 'Lyon' } } }));
    await ingest(calls({ type: 'identify', userId: 'ann', traits: { plan: 'pro', seats: 3 }, timestamp: '2026-03-01T11:10:00Z' }));
    expect(await profileByExternal('ann')).toMatchObject({
      email: 'ann@example.org',
      first_name: 'Ann',
      country: 'France',
      city: 'Lyon',
      traits: { plan: 'pro', seats: 3, email: 'Ann@Example.org', firstName: 'Ann', address: { country: 'France', city: 'Lyon' } },
      updated_at: new Date('2026-03-01T11:10:00Z'),
    });
    // Sent late: an identify older than the profile's last update only fills what is missing.
    await ingest(calls({ type: 'identify', userId: 'ann', traits: { plan: 'trial', color: 'red' }, timestamp: '2026-02-01T00:00:00Z' }));
    expect(await profileByExternal('ann')).toMatchObject({ traits: expect.objectContaining({ plan: 'pro', color: 'red' }), updated_at: new Date('2026-03-01T11:10:00Z') });
  });

  it('an anonymous visitor who identifies becomes that user: same profile, events kept, anonymous id linked', async () => {
    await ingest(calls({ type: 'track', anonymousId: 'v1', event: 'Order Completed', properties: { revenue: 9 } }));
    const [visitor] = await q<{ id: number; anonymous: boolean; external_id: string }>(`SELECT id, anonymous, external_id FROM profiles`);
    expect(visitor).toMatchObject({ anonymous: true, external_id: expect.stringMatching(/^anon-[0-9a-f]{20}$/) });
    await ingest(calls({ type: 'identify', anonymousId: 'v1', userId: 'u-v1', traits: { email: 'v1@x.org' } }));
    expect(await profileByExternal('u-v1')).toMatchObject({ id: visitor!.id, anonymous: false, email: 'v1@x.org', order_count: 1 });
    expect(await identitiesOf(visitor!.id)).toEqual(['anonymous:v1']);
    expect(await q(`SELECT count(*)::int AS n FROM profile_merges`)).toEqual([{ n: 0 }]);
    // Later calls by either id, or by the e-mail alone, find it.
    await ingest(calls({ type: 'track', anonymousId: 'v1', event: 'x' }, { type: 'track', userId: 'u-v1', event: 'y' }, { type: 'track', anonymousId: 'fresh', event: 'z', context: { traits: { email: 'V1@x.org' } } }));
    expect(await q(`SELECT count(*)::int AS n FROM profiles`)).toEqual([{ n: 1 }]);
    expect(await identitiesOf(visitor!.id)).toEqual(['anonymous:fresh', 'anonymous:v1']);
  });

  it('an e-mail already held by another user is not taken (nor merged): it stays in traits', async () => {
    await ingest(calls({ type: 'identify', userId: 'first', traits: { email: 'shared@x.org' } }));
    await ingest(calls({ type: 'identify', userId: 'second', traits: { email: 'shared@x.org' } }));
    expect(await profileByExternal('first')).toMatchObject({ email: 'shared@x.org' });
    expect(await profileByExternal('second')).toMatchObject({ email: null, traits: { email: 'shared@x.org' } });
  });
});

describe('ingest: merges', () => {
  async function segment(name: string, rules: unknown): Promise<number> {
    return (await q<{ id: number }>(`INSERT INTO segments (name, rules, updated_at) VALUES ($1, $2, now()) RETURNING id`, [name, JSON.stringify(rules)]))[0]!.id;
  }
  const repeat = { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 2 }] };
  const anyone = { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 0 }] };

  it('identify linking a known visitor to a known user merges them: events, metrics, identities, pins, memberships, history', async () => {
    await ingest(calls({ type: 'identify', userId: 'buyer', traits: { plan: 'free', firstName: 'Bo' }, timestamp: '2026-02-01T00:00:00Z' }, { type: 'track', userId: 'buyer', event: 'Order Completed', properties: { revenue: 10 } }));
    await ingest(calls({ type: 'identify', anonymousId: 'browser', traits: { plan: 'pro', color: 'blue', email: 'bo@x.org' }, timestamp: '2026-02-20T00:00:00Z' }, { type: 'track', anonymousId: 'browser', event: 'Order Completed', properties: { revenue: 5 } }));
    const buyer = await profileByExternal('buyer');
    const [visitor] = await q<{ id: number; external_id: string }>(`SELECT id, external_id FROM profiles WHERE anonymous`);
    const everyone = await segment('Everyone', anyone);
    const repeaters = await segment('Repeat', repeat);
    const pinned = await segment('Pinned', { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 50 }] });
    const [admin] = await q<{ id: number }>(`INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('a@x.org', 'A', 'x', 'ADMIN', now()) RETURNING id`);
    await q(`INSERT INTO segment_pins (segment_id, profile_id, mode, reason, created_by_id) VALUES ($1, $2, 'IN', 'VIP visitor', $3)`, [pinned, visitor!.id, admin!.id]);
    await runSegmentEvaluation({ trigger: 'MANUAL', now: receivedAt });
    expect(await q(`SELECT id, member_count FROM segments ORDER BY id`)).toEqual([
      { id: everyone, member_count: 2 },
      { id: repeaters, member_count: 0 },
      { id: pinned, member_count: 1 },
    ]);

    const identify = calls({ type: 'identify', userId: 'buyer', anonymousId: 'browser', timestamp: '2026-03-01T11:00:00Z' });
    const result = await ingest(identify);
    expect(result).toMatchObject({ merges: 1, profileIds: [buyer!.id] });
    expect(await q(`SELECT id FROM profiles`)).toEqual([{ id: buyer!.id }]);
    // The visitor's profile was updated later, so its plan wins; Bo's name stays; the address joins.
    expect(await profileByExternal('buyer')).toMatchObject({ order_count: 2, total_spent: '15.00', email: 'bo@x.org', first_name: 'Bo', traits: { plan: 'pro', color: 'blue', firstName: 'Bo', email: 'bo@x.org' } });
    expect(await identitiesOf(buyer!.id)).toEqual(['anonymous:browser']);
    expect(await q(`SELECT segment_id, profile_id, reason FROM segment_pins`)).toEqual([{ segment_id: pinned, profile_id: buyer!.id, reason: 'VIP visitor' }]);
    // Both were members of Everyone: one membership is left and the count follows; the pin's membership moved.
    expect(await q(`SELECT segment_id, profile_id FROM segment_memberships ORDER BY segment_id`)).toEqual([
      { segment_id: everyone, profile_id: buyer!.id },
      { segment_id: pinned, profile_id: buyer!.id },
    ]);
    expect(await q(`SELECT id, member_count FROM segments ORDER BY id`)).toEqual([
      { id: everyone, member_count: 1 },
      { id: repeaters, member_count: 0 },
      { id: pinned, member_count: 1 },
    ]);
    expect(await q(`SELECT count(*)::int AS n FROM segment_membership_changes WHERE profile_id = $1`, [visitor!.id])).toEqual([{ n: 0 }]);
    expect(await q(`SELECT survivor_id, merged_profile_id, merged_external_id, merged_email, reason, message_id, details, at FROM profile_merges`)).toEqual([
      {
        survivor_id: buyer!.id,
        merged_profile_id: visitor!.id,
        merged_external_id: visitor!.external_id,
        merged_email: 'bo@x.org',
        reason: 'identify',
        message_id: identify[0]!.messageId,
        details: { events: 1, identities: 1, pins: 1, memberships: 1, anonymous: true },
        at: new Date('2026-03-01T11:00:00Z'),
      },
    ]);
    // A retry of the identify changes nothing.
    expect(await ingest(identify)).toMatchObject({ accepted: 0, merges: 0 });
  });

  it('alias merges two users into the older one; the other user id then finds the survivor', async () => {
    await ingest(calls({ type: 'track', userId: 'old-account', event: 'Order Completed', properties: { revenue: 1 }, timestamp: '2026-01-01T00:00:00Z' }));
    await ingest(calls({ type: 'track', userId: 'new-account', event: 'Order Completed', properties: { revenue: 2 }, timestamp: '2026-02-01T00:00:00Z' }));
    const old = await profileByExternal('old-account');
    await ingest(calls({ type: 'alias', previousId: 'new-account', userId: 'old-account' }));
    expect(await q(`SELECT external_id, order_count FROM profiles`)).toEqual([{ external_id: 'old-account', order_count: 2 }]);
    expect(await identitiesOf(old!.id)).toEqual(['user:new-account']);
    await ingest(calls({ type: 'track', userId: 'new-account', event: 'Order Completed', properties: { revenue: 3 } }));
    expect(await q(`SELECT external_id, order_count, total_spent::text FROM profiles`)).toEqual([{ external_id: 'old-account', order_count: 3, total_spent: '6.00' }]);
    expect(await q(`SELECT survivor_id, merged_external_id, reason FROM profile_merges`)).toEqual([{ survivor_id: old!.id, merged_external_id: 'new-account', reason: 'alias' }]);
  });

  it('a merge chain in one request ends on one survivor, with every merge recorded there', async () => {
    await ingest(calls({ type: 'track', userId: 'a', event: 'x', timestamp: '2025-01-01T00:00:00Z' }, { type: 'track', userId: 'b', event: 'x', timestamp: '2025-06-01T00:00:00Z' }, { type: 'track', anonymousId: 'c', event: 'x' }));
    const a = await profileByExternal('a');
    await ingest(calls({ type: 'identify', userId: 'b', anonymousId: 'c' }, { type: 'alias', previousId: 'b', userId: 'a' }));
    expect(await q(`SELECT id FROM profiles`)).toEqual([{ id: a!.id }]);
    expect(await q(`SELECT count(*)::int AS n FROM events WHERE profile_id = $1`, [a!.id])).toEqual([{ n: 3 }]);
    expect((await q<{ survivor_id: number; reason: string }>(`SELECT survivor_id, reason FROM profile_merges ORDER BY id`)).map((m) => [m.survivor_id, m.reason])).toEqual([
      [a!.id, 'identify'],
      [a!.id, 'alias'],
    ]);
    expect(await identitiesOf(a!.id)).toEqual(['anonymous:c', 'user:b']);
  });
});
