import { gzipSync } from 'node:zlib';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '@/lib/auth/api-keys';
import { getPool } from '@/lib/db/pool';
import { evaluationSettled } from '@/lib/segments/realtime';
import { createSegment } from '@/lib/segments/service';
import { useTestDatabase } from '@/lib/test/database';
import { serveRoutes } from '@/lib/tracking/testing';
import { OPTIONS, POST } from './route';

/**
 * The tracking API driven by the real client libraries, over HTTP, against the route handlers:
 * @segment/analytics-node and RudderStack's Node SDK, configured only with Tagwise's URL and a write key.
 */
useTestDatabase();

let server: { url: string; close(): Promise<void> };
let adminId = 0;
let writeKey = '';
let repeatSegment = 0;

const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await getPool().query(sql, params)).rows as T[];
const counts = async () => (await q<{ profiles: number; events: number; identities: number; messages: number }>(
  `SELECT (SELECT count(*) FROM profiles)::int AS profiles, (SELECT count(*) FROM events)::int AS events,
          (SELECT count(*) FROM profile_identities)::int AS identities, (SELECT count(*) FROM tracking_messages)::int AS messages`,
))[0]!;
/** Whether the profile has the tag once the real-time evaluation has caught up with what was stored. */
const memberOf = async (segmentId: number, externalId: string) => {
  await evaluationSettled();
  return (await q(`SELECT 1 FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 AND p.external_id = $2`, [segmentId, externalId])).length === 1;
};

beforeAll(async () => {
  server = await serveRoutes({ '/api/v1/t/[call]': { POST, OPTIONS } });
  adminId = (await q<{ id: number }>(`INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('admin@t.test', 'Admin', 'x', 'ADMIN', now()) RETURNING id`))[0]!.id;
  writeKey = (await createApiKey(adminId, { name: 'Website', scopes: ['ingest'] })).key;
  repeatSegment = (await createSegment({ name: 'Repeat customers', description: '', rules: { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 2 }] } }, adminId)).id;
});
afterAll(async () => {
  await evaluationSettled();
  await server?.close();
});

function segmentClient(options: { flushAt?: number } = {}) {
  return new SegmentAnalytics({ writeKey, host: server.url, path: '/api/v1/t/batch', flushAt: options.flushAt ?? 1, flushInterval: 100, maxRetries: 0 });
}
/** Resolves when the call was delivered (the server answered 2xx), rejects with the client's reason otherwise. */
function delivered(send: (callback: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => send((error) => (error ? reject(error) : resolve())));
}

describe('with @segment/analytics-node', () => {
  it('identify and track: the profile, its traits and events, its metrics, and its segment tag once evaluated', async () => {
    const analytics = segmentClient();
    await delivered((cb) => analytics.identify({ userId: 'seg-1', traits: { email: 'Jo@Example.org', firstName: 'Jo', address: { country: 'Ireland', city: 'Cork' }, plan: 'pro' } }, cb));
    await delivered((cb) => analytics.track({ userId: 'seg-1', event: 'Order Completed', properties: { orderId: 'A1', revenue: 30, currency: 'EUR' } }, cb));
    expect(await memberOf(repeatSegment, 'seg-1')).toBe(false);
    await delivered((cb) => analytics.track({ userId: 'seg-1', event: 'Order Completed', properties: { orderId: 'A2', total: 12.5 } }, cb));
    // The 200 comes once the data and its pending re-evaluation are committed; the tag follows.
    expect(await memberOf(repeatSegment, 'seg-1')).toBe(true);
    await analytics.closeAndFlush();

    const [profile] = await q(`SELECT email, first_name, country, city, traits, order_count, total_spent::text, last_order_at FROM profiles WHERE external_id = 'seg-1'`);
    expect(profile).toMatchObject({ email: 'jo@example.org', first_name: 'Jo', country: 'Ireland', city: 'Cork', order_count: 2, total_spent: '42.50', traits: expect.objectContaining({ plan: 'pro' }) });
    expect(Math.abs((profile!.last_order_at as Date).getTime() - Date.now())).toBeLessThan(10_000);
    const events = await q(`SELECT e.type, e.revenue::text, e.properties->>'orderId' AS order_id FROM events e JOIN profiles p ON p.id = e.profile_id WHERE p.external_id = 'seg-1' ORDER BY e.id`);
    expect(events).toEqual([
      { type: 'order', revenue: '30.00', order_id: 'A1' },
      { type: 'order', revenue: '12.50', order_id: 'A2' },
    ]);
  });

  it('a batch of several calls; a retried messageId does not count twice', async () => {
    const analytics = segmentClient({ flushAt: 4 });
    const sends = [
      delivered((cb) => analytics.track({ anonymousId: 'visitor-7', event: 'Product Viewed', properties: { sku: 'S1' }, messageId: 'seg-m1' }, cb)),
      delivered((cb) => analytics.track({ anonymousId: 'visitor-7', event: 'Order Completed', properties: { revenue: 5 }, messageId: 'seg-m2' }, cb)),
      delivered((cb) => analytics.identify({ anonymousId: 'visitor-7', userId: 'seg-7', traits: { plan: 'free' }, messageId: 'seg-m3' }, cb)),
      delivered((cb) => analytics.track({ userId: 'seg-7', event: 'Order Completed', properties: { revenue: 6 }, messageId: 'seg-m4' }, cb)),
    ];
    await Promise.all(sends);
    expect(await q(`SELECT anonymous, order_count, total_spent::text FROM profiles WHERE external_id = 'seg-7'`)).toEqual([{ anonymous: false, order_count: 2, total_spent: '11.00' }]);
    expect(await memberOf(repeatSegment, 'seg-7')).toBe(true);
    // The client retries (the same messageIds again): nothing is stored twice.
    const before = await counts();
    await Promise.all([
      delivered((cb) => analytics.track({ userId: 'seg-7', event: 'Order Completed', properties: { revenue: 6 }, messageId: 'seg-m4' }, cb)),
      delivered((cb) => analytics.identify({ anonymousId: 'visitor-7', userId: 'seg-7', traits: { plan: 'free' }, messageId: 'seg-m3' }, cb)),
      delivered((cb) => analytics.track({ anonymousId: 'visitor-7', event: 'Order Completed', properties: { revenue: 5 }, messageId: 'seg-m2' }, cb)),
      delivered((cb) => analytics.track({ anonymousId: 'visitor-7', event: 'Product Viewed', properties: { sku: 'S1' }, messageId: 'seg-m1' }, cb)),
    ]);
    expect(await counts()).toEqual(before);
    expect(await q(`SELECT order_count FROM profiles WHERE external_id = 'seg-7'`)).toEqual([{ order_count: 2 }]);
    await analytics.closeAndFlush();
  });

  it('an unknown write key fails delivery with 401 and stores nothing', async () => {
    const before = await counts();
    const analytics = new SegmentAnalytics({ writeKey: 'twk_nobody00_' + 'x'.repeat(43), host: server.url, path: '/api/v1/t/batch', flushAt: 1, maxRetries: 0 });
    await expect(delivered((cb) => analytics.track({ userId: 'intruder', event: 'x' }, cb))).rejects.toThrow(/401/);
    expect(await counts()).toEqual(before);
  });
});

describe('with the RudderStack Node SDK (gzip bodies)', () => {
  it('identify, track and an anonymous visitor merged into the user by identify', async () => {
    const rudder = new RudderAnalytics(writeKey, { dataPlaneUrl: server.url, path: '/api/v1/t/batch', flushAt: 1, flushInterval: 100, retryCount: 0, logLevel: 'error' });
    const sent = (fn: (done: () => void) => void) => new Promise<void>((resolve) => fn(resolve));
    // The user is known first (an earlier purchase), the visitor browses and buys before signing in.
    await sent((done) => rudder.identify({ userId: 'rs-1', traits: { firstName: 'Rui', email: 'rui@example.org' } }, done));
    await sent((done) => rudder.track({ userId: 'rs-1', event: 'Order Completed', properties: { revenue: 20 } }, done));
    await sent((done) => rudder.track({ anonymousId: 'rs-anon', event: 'Order Completed', properties: { revenue: 8 } }, done));
    await rudder.flush();
    expect(await memberOf(repeatSegment, 'rs-1')).toBe(false);
    const [visitor] = await q<{ id: number }>(`SELECT p.id FROM profiles p JOIN profile_identities i ON i.profile_id = p.id WHERE i.kind = 'anonymous' AND i.value = 'rs-anon'`);
    await sent((done) => rudder.identify({ userId: 'rs-1', anonymousId: 'rs-anon', traits: { plan: 'gold' } }, done));
    await rudder.flush();

    expect(await q(`SELECT count(*)::int AS n FROM profiles WHERE id = $1`, [visitor!.id])).toEqual([{ n: 0 }]);
    expect(await q(`SELECT first_name, email, order_count, total_spent::text, traits->>'plan' AS plan FROM profiles WHERE external_id = 'rs-1'`)).toEqual([
      { first_name: 'Rui', email: 'rui@example.org', order_count: 2, total_spent: '28.00', plan: 'gold' },
    ]);
    expect(await memberOf(repeatSegment, 'rs-1')).toBe(true);
    expect(await q(`SELECT m.reason, m.merged_profile_id FROM profile_merges m JOIN profiles p ON p.id = m.survivor_id WHERE p.external_id = 'rs-1'`)).toEqual([{ reason: 'identify', merged_profile_id: visitor!.id }]);
  });
});

describe('the HTTP contract', () => {
  const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: basic(writeKey) }) =>
    fetch(`${server.url}/api/v1/t/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body) });

  let before: Awaited<ReturnType<typeof counts>>;
  beforeEach(async () => {
    before = await counts();
  });

  it('answers accepted calls as the spec’s servers do, on every endpoint', async () => {
    const calls: [string, unknown][] = [
      ['identify', { userId: 'h-1', traits: { plan: 'x' } }],
      ['track', { userId: 'h-1', event: 'Signed Up' }],
      ['page', { userId: 'h-1', name: 'Pricing', properties: { path: '/pricing' } }],
      ['screen', { anonymousId: 'h-anon', name: 'Home' }],
      ['group', { userId: 'h-1', groupId: 'acme', traits: { employees: 40 } }],
      ['alias', { previousId: 'h-anon', userId: 'h-1' }],
      ['batch', { batch: [{ type: 'track', userId: 'h-1', event: 'Clicked' }] }],
    ];
    for (const [path, body] of calls) {
      const response = await post(path, body);
      expect(response.status, path).toBe(200);
      expect(await response.json()).toEqual({ success: true });
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    }
    expect(await q(`SELECT type FROM events e JOIN profiles p ON p.id = e.profile_id WHERE p.external_id = 'h-1' ORDER BY e.id`)).toEqual(
      // the screen call's anonymous profile was merged into h-1 by the alias
      ['Signed Up', 'page', 'screen', 'group', 'Clicked'].map((type) => ({ type })),
    );
    const preflight = await fetch(`${server.url}/api/v1/t/batch`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('takes the write key as a bearer token or as writeKey in the body (browsers) too', async () => {
    expect((await post('track', { userId: 'h-2', event: 'x' }, { authorization: `Bearer ${writeKey}` })).status).toBe(200);
    expect((await post('track', { userId: 'h-2', event: 'y', writeKey }, {})).status).toBe(200);
    expect((await q(`SELECT count(*)::int AS n FROM events e JOIN profiles p ON p.id = e.profile_id WHERE p.external_id = 'h-2'`))[0]).toEqual({ n: 2 });
  });

  it('corrects the client’s clock: an event queued two days offline counts two days back', async () => {
    const skew = 3_600_000; // the client's clock is an hour fast
    const happened = Date.now() - 2 * 86_400_000;
    const response = await post('batch', {
      sentAt: new Date(Date.now() + skew).toISOString(),
      batch: [{ type: 'track', userId: 'h-3', event: 'Order Completed', properties: { revenue: 1 }, timestamp: new Date(happened + skew).toISOString() }],
    });
    expect(response.status).toBe(200);
    const [event] = await q<{ occurred_at: Date; received_at: Date }>(`SELECT occurred_at, received_at FROM events e JOIN profiles p ON p.id = e.profile_id WHERE p.external_id = 'h-3'`);
    expect(Math.abs(event!.occurred_at.getTime() - happened)).toBeLessThan(5_000);
    expect(Math.abs(event!.received_at.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it('bad input gets the right 4xx and stores nothing of the request', async () => {
    const valid = { type: 'track', userId: 'bad-1', event: 'ok' };
    const cases: [string, unknown, Record<string, string> | undefined, number, RegExp][] = [
      ['batch', '{"batch": [', undefined, 400, /not valid JSON/],
      ['batch', { batch: [valid, { type: 'track', event: 'no identity' }] }, undefined, 400, /batch\[1\]\.userId or anonymousId is required/],
      ['batch', { batch: [valid, { type: 'track', userId: ['x'], event: 'wrong type' }] }, undefined, 400, /batch\[1\]\.userId must be a string/],
      ['batch', { batch: [valid, { type: 'track', userId: 'bad-1', event: 'Order Completed', properties: { revenue: 'ten' } }] }, undefined, 400, /revenue must be a number/],
      ['batch', { batch: [valid, { type: 'track', userId: 'bad-1', event: 'x', properties: { blob: 'x'.repeat(33 * 1024) } }] }, undefined, 400, /larger than 32 KB/],
      ['batch', { batch: Array.from({ length: 20 }, () => ({ ...valid, properties: { blob: 'y'.repeat(30 * 1024) } })) }, undefined, 400, /larger than 500 KB/],
      ['track', { userId: 'bad-1', event: 'x', properties: { blob: 'z'.repeat(33 * 1024) } }, undefined, 400, /larger than 32 KB/],
      ['track', { userId: 'bad-1' }, undefined, 400, /event is required/],
      ['track', { type: 'identify', userId: 'bad-1', event: 'x' }, undefined, 400, /track endpoint/],
      ['identify', { userId: 'bad-1', traits: { email: 12 } }, undefined, 400, /traits\.email must be a string/],
      ['track', valid, { authorization: basic('twk_unknown0_' + 'k'.repeat(43)) }, 401, /not valid/],
      ['track', valid, { authorization: 'Basic !!!' }, 401, /HTTP Basic/],
      ['track', valid, {}, 401, /write key/],
      ['track', valid, { authorization: basic(writeKey), 'content-encoding': 'br' }, 415, /not supported/],
    ];
    for (const [path, body, headers, status, message] of cases) {
      const response = await post(path, body, headers);
      expect(response.status, `${path} ${String(message)}`).toBe(status);
      const answer = (await response.json()) as { success: boolean; message: string; errors?: string[] };
      expect(answer.success).toBe(false);
      expect([answer.message, ...(answer.errors ?? [])].join(' ')).toMatch(message);
      if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
    }
    expect(await counts()).toEqual(before);
    expect((await fetch(`${server.url}/api/v1/t/launch`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('a revoked key gets 401 and a key without the ingest scope 403, nothing stored', async () => {
    const temp = await createApiKey(adminId, { name: 'Temp', scopes: ['ingest'] });
    expect((await post('track', { userId: 'k-1', event: 'x' }, { authorization: basic(temp.key) })).status).toBe(200);
    await revokeApiKey(adminId, { id: temp.apiKey.id });
    const revoked = await post('track', { userId: 'k-1', event: 'y' }, { authorization: basic(temp.key) });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { message: string }).message).toBe('This API key was revoked.');
    const reader = await createApiKey(adminId, { name: 'Reader', scopes: ['api:read'] });
    expect((await post('track', { userId: 'k-1', event: 'z' }, { authorization: basic(reader.key) })).status).toBe(403);
    expect((await post('track', { userId: 'k-1', event: 'z', writeKey: reader.key }, {})).status).toBe(403);
    expect(await q(`SELECT count(*)::int AS n FROM events e JOIN profiles p ON p.id = e.profile_id WHERE p.external_id = 'k-1'`)).toEqual([{ n: 1 }]);
  });

  it('reads gzip bodies, and refuses a gzip body that inflates past the limit', async () => {
    const ok = await post('batch', gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'gz-1', event: 'x' }] })), { authorization: basic(writeKey), 'content-encoding': 'gzip' });
    expect(ok.status).toBe(200);
    const bomb = gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'gz-2', event: 'x', properties: { pad: ' '.repeat(600 * 1024) } }] }));
    expect(bomb.byteLength).toBeLessThan(10 * 1024);
    const refused = await post('batch', bomb, { authorization: basic(writeKey), 'content-encoding': 'gzip' });
    expect(refused.status).toBe(400);
    expect(await q(`SELECT count(*)::int AS n FROM profiles WHERE external_id IN ('gz-1', 'gz-2')`)).toEqual([{ n: 1 }]);
    const broken = await post('batch', Buffer.from('not gzip at all'), { authorization: basic(writeKey), 'content-encoding': 'gzip' });
    expect(broken.status).toBe(400);
  });
});
