import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentValidator, documented } from '@/lib/api/testing';
import { createApiKey, revokeApiKey } from '@/lib/auth/api-keys';
import { getPool } from '@/lib/db/pool';
import { parseRules } from '@/lib/rules/parse';
import { useTestDatabase } from '@/lib/test/database';
import { loadFieldCatalog } from '@/lib/traits/registry';
import { GET as audienceCsv } from './audiences/[id]/versions/[file]/route';
import { POST as evaluate } from './evaluations/route';
import { GET as openapi } from './openapi.json/route';
import { GET as profileByExternalId } from './profiles/[externalId]/route';
import { GET as findProfile } from './profiles/route';
import { GET as members } from './segments/[id]/members/route';
import { DELETE as deleteSegment, GET as getSegment, PATCH as patchSegment } from './segments/[id]/route';
import { GET as listSegments, POST as createSegment } from './segments/route';

/**
 * The REST API end to end through its route handlers, every answer checked against the OpenAPI
 * document (status documented for the operation, body matching its schema).
 */
useTestDatabase();
const v = createDocumentValidator();

let readKey = '';
let writeKey = '';
let writeKeyId = 0;
let downloadKey = '';
let adminId = 0;

const BASE = 'http://127.0.0.1:3000';
const auth = (key: string) => ({ authorization: `Bearer ${key}` });

type Handler<C> = (request: Request, context: C) => Promise<Response>;
function send<C>(handler: Handler<C>, method: string, url: string, options: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string>; params?: C extends { params: Promise<infer P> } ? P : never } = {}) {
  const headers: Record<string, string> = { ...(options.key ? auth(options.key) : {}), ...options.headers };
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const request = new Request(`${BASE}${url}`, { method, headers, body });
  return handler(request, { params: Promise.resolve(options.params ?? {}) } as C);
}

const ordersAtLeast = (n: number) => ({ combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: n }] });

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await getPool().query(sql, params)).rows as T[];
}

beforeAll(async () => {
  const admin = await getPool().query<{ id: number }>(`INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('api-admin@example.test', 'Admin', 'x', 'ADMIN', now()) RETURNING id`);
  adminId = admin.rows[0]!.id;
  readKey = (await createApiKey(adminId, { name: 'Reader', scopes: ['api:read'] })).key;
  const write = await createApiKey(adminId, { name: 'Writer', scopes: ['api:read', 'api:write'] });
  writeKey = write.key;
  writeKeyId = write.apiKey.id;
  downloadKey = (await createApiKey(adminId, { name: 'Downloads', scopes: ['audience:download'] })).key;
  await getPool().query(
    `INSERT INTO profiles (external_id, email, first_name, country, email_consent, traits, order_count, total_spent, first_order_at, last_order_at, last_activity_at)
     VALUES ('c-1', 'ann@example.test', 'Ann', 'France', true, '{"age": 61, "plan": "gold"}', 3, 90.5, '2026-01-02T10:00:00Z', '2026-05-01T10:00:00Z', '2026-05-01T10:00:00Z'),
            ('c/2', NULL, NULL, NULL, NULL, '{}', 0, 0, NULL, NULL, NULL)`,
  );
  for (let i = 3; i <= 7; i++) await getPool().query(`INSERT INTO profiles (external_id, order_count) VALUES ($1, 5)`, [`c-${i}`]);
  await getPool().query(`INSERT INTO trait_definitions (key, label, type) VALUES ('age', 'Age', 'number')`);
});

describe('authentication', () => {
  it('401 without a key or with a revoked one, 403 without the scope, on every endpoint', async () => {
    const temp = await createApiKey(adminId, { name: 'Temp', scopes: ['api:read', 'api:write'] });
    await revokeApiKey(adminId, { id: temp.apiKey.id });
    const cases: [Handler<never>, string, string, string, Record<string, string>, 'read' | 'write'][] = [
      [findProfile as Handler<never>, 'GET', '/api/v1/profiles', '/api/v1/profiles?email=ann@example.test', {}, 'read'],
      [profileByExternalId as Handler<never>, 'GET', '/api/v1/profiles/{externalId}', '/api/v1/profiles/c-1', { externalId: 'c-1' }, 'read'],
      [listSegments as Handler<never>, 'GET', '/api/v1/segments', '/api/v1/segments', {}, 'read'],
      [createSegment as Handler<never>, 'POST', '/api/v1/segments', '/api/v1/segments', {}, 'write'],
      [getSegment as Handler<never>, 'GET', '/api/v1/segments/{id}', '/api/v1/segments/1', { id: '1' }, 'read'],
      [patchSegment as Handler<never>, 'PATCH', '/api/v1/segments/{id}', '/api/v1/segments/1', { id: '1' }, 'write'],
      [deleteSegment as Handler<never>, 'DELETE', '/api/v1/segments/{id}', '/api/v1/segments/1', { id: '1' }, 'write'],
      [members as Handler<never>, 'GET', '/api/v1/segments/{id}/members', '/api/v1/segments/1/members', { id: '1' }, 'read'],
      [evaluate as Handler<never>, 'POST', '/api/v1/evaluations', '/api/v1/evaluations', {}, 'write'],
    ];
    for (const [handler, method, template, url, params, scope] of cases) {
      const none = await documented<{ error: string }>(v, method, template, await send(handler, method, url, { params: params as never }));
      expect(none.status, `${method} ${url}`).toBe(401);
      const revoked = await documented(v, method, template, await send(handler, method, url, { key: temp.key, params: params as never }));
      expect(revoked.status).toBe(401);
      const wrongScope = await documented(v, method, template, await send(handler, method, url, { key: scope === 'read' ? downloadKey : readKey, params: params as never }));
      expect(wrongScope.status, `${method} ${url}`).toBe(403);
    }
  });
});

describe('the audience CSV route answers as documented', () => {
  it('401, 403 and 404', async () => {
    const template = '/api/v1/audiences/{id}/versions/{file}';
    const call = (key?: string, id = '1') => send(audienceCsv, 'GET', `/api/v1/audiences/${id}/versions/1.csv`, { key, params: { id, file: '1.csv' } });
    expect((await documented(v, 'GET', template, await call())).status).toBe(401);
    expect((await documented(v, 'GET', template, await call(readKey))).status).toBe(403);
    expect((await documented(v, 'GET', template, await call(downloadKey, '4242'))).status).toBe(404);
  });
});

describe('GET /api/v1/profiles', () => {
  it('by external id: traits, metrics and current segment tags with the time each was gained', async () => {
    const created = await documented<{ id: number }>(v, 'POST', '/api/v1/segments', await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, body: { name: 'Buyers', rules: ordersAtLeast(1) } }));
    const tag = await query<{ entered_at: Date }>(`SELECT entered_at FROM segment_memberships WHERE segment_id = $1 AND profile_id = 1`, [created.body.id]);
    const r = await documented<Record<string, unknown>>(v, 'GET', '/api/v1/profiles/{externalId}', await send(profileByExternalId, 'GET', '/api/v1/profiles/c-1', { key: readKey, params: { externalId: 'c-1' } }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      externalId: 'c-1',
      email: 'ann@example.test',
      firstName: 'Ann',
      country: 'France',
      emailConsent: true,
      traits: { age: 61, plan: 'gold' },
      metrics: { orderCount: 3, totalSpent: 90.5, averageOrderValue: 30.17, cancellationCount: 0, firstOrderAt: '2026-01-02T10:00:00.000Z', lastOrderAt: '2026-05-01T10:00:00.000Z' },
      segments: [{ id: created.body.id, name: 'Buyers', status: 'ACTIVE', enteredAt: tag[0]!.entered_at.toISOString() }],
    });
    await documented(v, 'DELETE', '/api/v1/segments/{id}', await send(deleteSegment, 'DELETE', `/api/v1/segments/${created.body.id}`, { key: writeKey, params: { id: String(created.body.id) } }));
  });

  it('by e-mail (trimmed, any case) or ?externalId=, with an id that needs URL encoding', async () => {
    const byEmail = await documented<{ externalId: string }>(v, 'GET', '/api/v1/profiles', await send(findProfile, 'GET', `/api/v1/profiles?email=${encodeURIComponent(' ANN@Example.test ')}`, { key: readKey }));
    expect(byEmail.body.externalId).toBe('c-1');
    const byQuery = await documented<{ externalId: string; segments: unknown[]; metrics: { averageOrderValue: unknown } }>(
      v,
      'GET',
      '/api/v1/profiles',
      await send(findProfile, 'GET', `/api/v1/profiles?externalId=${encodeURIComponent('c/2')}`, { key: readKey }),
    );
    expect(byQuery.body).toMatchObject({ externalId: 'c/2', segments: [], metrics: { averageOrderValue: null } });
  });

  it('an id or e-mail merged into another profile (tracking identities) finds the surviving profile', async () => {
    await getPool().query(`INSERT INTO profile_identities (kind, value, profile_id) VALUES ('user', 'old-id', 1), ('email', 'old@example.test', 1)`);
    const byId = await documented<{ externalId: string }>(v, 'GET', '/api/v1/profiles/{externalId}', await send(profileByExternalId, 'GET', '/api/v1/profiles/old-id', { key: readKey, params: { externalId: 'old-id' } }));
    expect(byId.body.externalId).toBe('c-1');
    const byEmail = await documented<{ externalId: string }>(v, 'GET', '/api/v1/profiles', await send(findProfile, 'GET', '/api/v1/profiles?email=Old@example.test', { key: readKey }));
    expect(byEmail.body.externalId).toBe('c-1');
  });

  it('404 for an unknown profile; 400 for no, both, empty or unknown parameters', async () => {
    expect((await documented(v, 'GET', '/api/v1/profiles', await send(findProfile, 'GET', '/api/v1/profiles?email=nobody@example.test', { key: readKey }))).status).toBe(404);
    expect((await documented(v, 'GET', '/api/v1/profiles/{externalId}', await send(profileByExternalId, 'GET', '/api/v1/profiles/zzz', { key: readKey, params: { externalId: 'zzz' } }))).status).toBe(404);
    for (const q of ['', '?email=a@b.c&externalId=c-1', '?email=', '?mail=a@b.c', `?externalId=${'x'.repeat(400)}`]) {
      const r = await documented<{ error: string }>(v, 'GET', '/api/v1/profiles', await send(findProfile, 'GET', `/api/v1/profiles${q}`, { key: readKey }));
      expect(r.status, q).toBe(400);
      expect(r.body.error).toBeTruthy();
    }
  });
});

describe('segments', () => {
  let id = 0;

  it('POST creates from the builder JSON (its ids dropped), evaluates at once, answers 201 and audits with the key', async () => {
    const rules = { id: 'g1', combinator: 'AND', rules: [{ id: 'r1', field: 'orderCount', operator: '>=', value: '5', valueSource: 'value' }] };
    const r = await documented<Record<string, unknown> & { id: number }>(v, 'POST', '/api/v1/segments', await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, body: { name: '  Loyal ', description: 'five orders', rules } }));
    expect(r.status).toBe(201);
    id = r.body.id;
    expect(r.body).toMatchObject({ name: 'Loyal', description: 'five orders', status: 'ACTIVE', version: 1, memberCount: 5, evaluation: 'evaluated', evaluationPending: false });
    expect(r.body.rules).toEqual({ combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: '5' }] });
    const entry = await query<{ actor_id: number | null; details: Record<string, unknown> }>(`SELECT actor_id, details FROM audit_log WHERE action = 'segment.create' AND entity_id = $1`, [String(id)]);
    expect(entry).toEqual([{ actor_id: null, details: expect.objectContaining({ apiKeyId: writeKeyId, via: 'api', after: expect.objectContaining({ name: 'Loyal' }) }) }]);
  });

  it('GET lists segments with their counts, and one segment with its rules; 404 for unknown or impossible ids', async () => {
    const list = await documented<{ segments: { id: number; memberCount: number }[] }>(v, 'GET', '/api/v1/segments', await send(listSegments, 'GET', '/api/v1/segments', { key: readKey }));
    expect(list.body.segments).toEqual([expect.objectContaining({ id, name: 'Loyal', memberCount: 5 })]);
    const one = await documented<{ rules: unknown }>(v, 'GET', '/api/v1/segments/{id}', await send(getSegment, 'GET', `/api/v1/segments/${id}`, { key: readKey, params: { id: String(id) } }));
    expect(one.body.rules).toEqual({ combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: '5' }] });
    for (const bad of ['9999', 'abc', '0', '1.5', '99999999999']) {
      expect((await documented(v, 'GET', '/api/v1/segments/{id}', await send(getSegment, 'GET', `/api/v1/segments/${bad}`, { key: readKey, params: { id: bad } }))).status, bad).toBe(404);
    }
  });

  it('GET members walks every member once with keyset cursors', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/segments/${id}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { body: { members: { externalId: string }[]; nextCursor: string | null; memberCount: number } } = await documented(
        v,
        'GET',
        '/api/v1/segments/{id}/members',
        await send(members, 'GET', url, { key: readKey, params: { id: String(id) } }),
      );
      expect(page.body.memberCount).toBe(5);
      seen.push(...page.body.members.map((m) => m.externalId));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['c-3', 'c-4', 'c-5', 'c-6', 'c-7']);
    const all = await documented<{ members: unknown[]; nextCursor: null; limit: number }>(v, 'GET', '/api/v1/segments/{id}/members', await send(members, 'GET', `/api/v1/segments/${id}/members`, { key: readKey, params: { id: String(id) } }));
    expect(all.body).toMatchObject({ limit: 100, nextCursor: null });
    expect(all.body.members).toHaveLength(5);
  });

  it('GET members: 400 for a forged cursor or a limit out of range, 404 for an unknown segment', async () => {
    for (const q of ['cursor=abc', 'cursor=' + Buffer.from('p0').toString('base64url'), 'cursor=' + Buffer.from('1').toString('base64url'), 'limit=0', 'limit=1001', 'limit=two', 'page=2']) {
      const r = await documented(v, 'GET', '/api/v1/segments/{id}/members', await send(members, 'GET', `/api/v1/segments/${id}/members?${q}`, { key: readKey, params: { id: String(id) } }));
      expect(r.status, q).toBe(400);
    }
    expect((await documented(v, 'GET', '/api/v1/segments/{id}/members', await send(members, 'GET', '/api/v1/segments/9999/members', { key: readKey, params: { id: '9999' } }))).status).toBe(404);
  });

  it('refuses invalid rules with 422 and exactly the parser\'s problems (as the builder\'s save), storing nothing', async () => {
    const rules = { combinator: 'and', rules: [{ field: 'nope', operator: '=', value: 1 }, { combinator: 'or', rules: [{ field: 'lastOrderAt', operator: 'inLast', value: { amount: 0, unit: 'days' } }] }] };
    const before = await query(`SELECT count(*)::int AS n FROM segments`);
    const r = await documented<{ error: string; problems: { path: string; message: string }[] }>(v, 'POST', '/api/v1/segments', await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, body: { name: 'Broken', rules } }));
    expect(r.status).toBe(422);
    const parsed = parseRules(rules, await loadFieldCatalog());
    expect(parsed.ok).toBe(false);
    expect(r.body.problems).toEqual(!parsed.ok && parsed.problems);
    expect(r.body.problems.map((p) => p.path)).toEqual(['rules.rules[0]', 'rules.rules[1].rules[0]']);
    const empty = await documented<{ problems: unknown[] }>(v, 'POST', '/api/v1/segments', await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, body: { name: 'Everyone', rules: { combinator: 'and', rules: [] } } }));
    expect(empty.status).toBe(422);
    expect(empty.body.problems).toEqual([{ path: 'rules', message: 'add at least one condition' }]);
    const both = await documented<{ problems: unknown[] }>(v, 'POST', '/api/v1/segments', await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, body: { name: '  ', rules: { combinator: 'nor', rules: [{ field: 'orderCount', operator: '>=', value: 1 }] } } }));
    expect(both.status).toBe(422);
    expect(both.body.problems).toEqual([
      { path: 'name', message: 'Give the segment a name.' },
      { path: 'rules', message: 'combinator must be "and" or "or", not "nor"' },
    ]);
    expect(await query(`SELECT count(*)::int AS n FROM segments`)).toEqual(before);
  });

  it('400 for malformed JSON, a non-object, unknown or missing properties and wrong types; 415 for a body that is not JSON', async () => {
    const bodies: [string, Record<string, string>?][] = [
      ['{"name": "x", "rules": '],
      ['[]'],
      ['"text"'],
      [JSON.stringify({ name: 'x', rule: ordersAtLeast(1) })],
      [JSON.stringify({ name: 'x' })],
      [JSON.stringify({ rules: ordersAtLeast(1) })],
      [JSON.stringify({ name: 5, rules: ordersAtLeast(1) })],
      [JSON.stringify({ name: 'x', description: ['a'], rules: ordersAtLeast(1) })],
    ];
    for (const [raw] of bodies) {
      const r = await documented<{ error: string }>(v, 'POST', '/api/v1/segments', await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, raw, headers: { 'content-type': 'application/json' } }));
      expect(r.status, raw).toBe(400);
    }
    const form = await documented(v, 'POST', '/api/v1/segments', await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(form.status).toBe(415);
    const huge = await documented(v, 'POST', '/api/v1/segments', await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, raw: JSON.stringify({ name: 'x', description: 'y'.repeat(1_100_000), rules: ordersAtLeast(1) }), headers: { 'content-type': 'application/json' } }));
    expect(huge.status).toBe(413);
  });

  it('PATCH renames without a new version, changes rules (new version, re-evaluated), pauses and resumes; refuses bad input changing nothing', async () => {
    const patch = (body: unknown) => send(patchSegment, 'PATCH', `/api/v1/segments/${id}`, { key: writeKey, body, params: { id: String(id) } });
    const renamed = await documented<Record<string, unknown>>(v, 'PATCH', '/api/v1/segments/{id}', await patch({ name: 'Very loyal' }));
    expect(renamed.body).toMatchObject({ name: 'Very loyal', description: 'five orders', version: 1, memberCount: 5 });
    const changed = await documented<Record<string, unknown>>(v, 'PATCH', '/api/v1/segments/{id}', await patch({ rules: ordersAtLeast(1) }));
    expect(changed.body).toMatchObject({ version: 2, evaluation: 'evaluated', memberCount: 6 });
    const bad = await documented<{ problems: unknown[] }>(v, 'PATCH', '/api/v1/segments/{id}', await patch({ rules: { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 'many' }] }, status: 'PAUSED' }));
    expect(bad.status).toBe(422);
    expect(bad.body.problems).toEqual([{ path: 'rules.rules[0]', message: 'Number of orders ≥: needs a number' }]);
    const unchanged = await documented<Record<string, unknown>>(v, 'GET', '/api/v1/segments/{id}', await send(getSegment, 'GET', `/api/v1/segments/${id}`, { key: readKey, params: { id: String(id) } }));
    expect(unchanged.body).toMatchObject({ version: 2, status: 'ACTIVE' });
    const paused = await documented<Record<string, unknown>>(v, 'PATCH', '/api/v1/segments/{id}', await patch({ status: 'PAUSED' }));
    expect(paused.body).toMatchObject({ status: 'PAUSED', evaluation: 'not-needed' });
    const resumed = await documented<Record<string, unknown>>(v, 'PATCH', '/api/v1/segments/{id}', await patch({ status: 'ACTIVE', rules: ordersAtLeast(5) }));
    expect(resumed.body).toMatchObject({ status: 'ACTIVE', version: 3, evaluation: 'evaluated', memberCount: 5 });
    const actions = await query<{ action: string; api_key: string }>(`SELECT action, details->>'apiKeyId' AS api_key FROM audit_log WHERE entity_type = 'segment' AND entity_id = $1 ORDER BY id`, [String(id)]);
    expect(actions.map((a) => a.action)).toEqual(['segment.create', 'segment.update', 'segment.update', 'segment.pause', 'segment.update', 'segment.resume']);
    expect(new Set(actions.map((a) => a.api_key))).toEqual(new Set([String(writeKeyId)]));
    for (const body of [{}, { status: 'STOPPED' }, { colour: 'red' }]) {
      expect((await documented(v, 'PATCH', '/api/v1/segments/{id}', await patch(body))).status, JSON.stringify(body)).toBe(400);
    }
    expect((await documented(v, 'PATCH', '/api/v1/segments/{id}', await send(patchSegment, 'PATCH', '/api/v1/segments/9999', { key: writeKey, body: { name: 'x' }, params: { id: '9999' } }))).status).toBe(404);
  });

  it('a rule referring to a missing segment, or making a cycle, is refused with 400', async () => {
    const missing = await documented<{ error: string }>(v, 'POST', '/api/v1/segments', await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, body: { name: 'Dangling', rules: { combinator: 'and', rules: [{ field: 'segment', operator: 'in', value: 4242 }] } } }));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/#4242, which does not exist/);
    const selfRef = await documented<{ error: string }>(v, 'PATCH', '/api/v1/segments/{id}', await send(patchSegment, 'PATCH', `/api/v1/segments/${id}`, { key: writeKey, body: { rules: { combinator: 'and', rules: [{ field: 'segment', operator: 'in', value: id }] } }, params: { id: String(id) } }));
    expect(selfRef.status).toBe(400);
    expect(selfRef.body.error).toMatch(/cycle/);
  });

  it('DELETE answers 204 and the segment is gone; 409 naming the segments that refer to it; 404 after', async () => {
    const dependent = await documented<{ id: number }>(v, 'POST', '/api/v1/segments', await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, body: { name: 'In loyal', rules: { combinator: 'and', rules: [{ field: 'segment', operator: 'in', value: id }] } } }));
    const del = (target: number) => send(deleteSegment, 'DELETE', `/api/v1/segments/${target}`, { key: writeKey, params: { id: String(target) } });
    const refused = await documented<{ error: string }>(v, 'DELETE', '/api/v1/segments/{id}', await del(id));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toContain('segment "In loyal"');
    expect((await documented(v, 'DELETE', '/api/v1/segments/{id}', await del(dependent.body.id))).status).toBe(204);
    expect((await documented(v, 'DELETE', '/api/v1/segments/{id}', await del(id))).status).toBe(204);
    expect((await documented(v, 'DELETE', '/api/v1/segments/{id}', await del(id))).status).toBe(404);
    expect((await documented(v, 'GET', '/api/v1/segments/{id}', await send(getSegment, 'GET', `/api/v1/segments/${id}`, { key: readKey, params: { id: String(id) } }))).status).toBe(404);
    const entry = await query<{ details: { apiKeyId: number; before: { name: string } } }>(`SELECT details FROM audit_log WHERE action = 'segment.delete' AND entity_id = $1`, [String(id)]);
    expect(entry[0]!.details).toMatchObject({ apiKeyId: writeKeyId, before: { name: 'Very loyal', rules: ordersAtLeast(5) } });
  });
});

describe('POST /api/v1/evaluations', () => {
  it('runs every active segment (MANUAL, audited with the key), and answers 409 with the run in progress', async () => {
    await send(createSegment, 'POST', '/api/v1/segments', { key: writeKey, body: { name: 'Any order', rules: ordersAtLeast(1) } });
    const run = await documented<{ runId: number; segments: { name: string; members: number }[] }>(v, 'POST', '/api/v1/evaluations', await send(evaluate, 'POST', '/api/v1/evaluations', { key: writeKey }));
    expect(run.status).toBe(200);
    expect(run.body.segments).toEqual([expect.objectContaining({ name: 'Any order', members: 6 })]);
    expect(await query(`SELECT trigger::text AS trigger FROM segment_runs WHERE id = $1`, [run.body.runId])).toEqual([{ trigger: 'MANUAL' }]);
    expect(await query(`SELECT actor_id, details->>'apiKeyId' AS key FROM audit_log WHERE action = 'segment.evaluate'`)).toEqual([{ actor_id: null, key: String(writeKeyId) }]);
    const running = await getPool().query<{ id: number }>(`INSERT INTO segment_runs (trigger, status, clock) VALUES ('SCHEDULE', 'RUNNING', now()) RETURNING id`);
    try {
      const busy = await documented<{ runId: number }>(v, 'POST', '/api/v1/evaluations', await send(evaluate, 'POST', '/api/v1/evaluations', { key: writeKey }));
      expect(busy.status).toBe(409);
      expect(busy.body.runId).toBe(running.rows[0]!.id);
    } finally {
      await getPool().query(`UPDATE segment_runs SET status = 'SUCCEEDED' WHERE id = $1`, [running.rows[0]!.id]);
    }
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('serves the document, with the request origin as its server', async () => {
    const r = await documented<{ openapi: string; servers: { url: string }[] }>(v, 'GET', '/api/v1/openapi.json', await openapi(new Request(`${BASE}/api/v1/openapi.json`)));
    expect(r.body.openapi).toBe('3.1.0');
    expect(r.body.servers).toEqual([{ url: BASE }]);
  });
});
