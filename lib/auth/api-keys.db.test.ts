import { beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../audiences/testing';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { can } from './permissions';
import { bearerToken, clientIp, createApiKey, generateApiKey, hashApiKey, listApiKeys, revokeApiKey, updateApiKey, verifyApiKey } from './api-keys';

useTestDatabase();
let adminId = 0;
beforeAll(async () => {
  adminId = await makeUser('ADMIN');
});

const auditRows = async (id: number) =>
  (await getPool().query<{ action: string; details: Record<string, unknown>; actor_id: number }>(`SELECT action, details, actor_id FROM audit_log WHERE entity_type = 'api_key' AND entity_id = $1 ORDER BY id`, [String(id)])).rows;

describe('API keys', () => {
  it('are shown once and stored only as a SHA-256 hash', async () => {
    const { apiKey, key } = await createApiKey(adminId, { name: '  Ad platform fetcher ', scopes: ['audience:download'] });
    expect(key).toMatch(/^twk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`${apiKey.prefix}_`)).toBe(true);
    expect(apiKey).toMatchObject({ name: 'Ad platform fetcher', scopes: ['audience:download'], createdBy: 'Test user', lastUsedAt: null, revokedAt: null });
    const stored = await getPool().query(`SELECT * FROM api_keys WHERE id = $1`, [apiKey.id]);
    expect(stored.rows[0].secret_hash).toBe(hashApiKey(key));
    expect(JSON.stringify(stored.rows[0])).not.toContain(key.slice(apiKey.prefix.length + 1));
    const audited = await auditRows(apiKey.id);
    expect(audited).toEqual([{ action: 'apiKey.create', actor_id: adminId, details: { after: { name: 'Ad platform fetcher', prefix: apiKey.prefix, scopes: ['audience:download'] } } }]);
    expect(JSON.stringify(audited)).not.toContain(key);
  });

  it('verify: 401 for missing, malformed, unknown and revoked keys, 403 without the scope, ok otherwise', async () => {
    const { apiKey, key } = await createApiKey(adminId, { name: 'Ingest only', scopes: ['ingest', 'api:read'] });
    expect(await verifyApiKey(null, 'ingest')).toMatchObject({ ok: false, status: 401 });
    expect(await verifyApiKey('Basic abc', 'ingest')).toMatchObject({ ok: false, status: 401 });
    expect(await verifyApiKey('Bearer not-a-key', 'ingest')).toMatchObject({ ok: false, status: 401 });
    expect(await verifyApiKey(`Bearer ${generateApiKey().key}`, 'ingest')).toMatchObject({ ok: false, status: 401, message: 'This API key is not valid.' });
    // Right prefix, wrong secret.
    const forged = `${apiKey.prefix}_${'A'.repeat(43)}`;
    expect(await verifyApiKey(`Bearer ${forged}`, 'ingest')).toMatchObject({ ok: false, status: 401 });
    expect(await verifyApiKey(`Bearer ${key}`, 'audience:download')).toEqual({ ok: false, status: 403, message: 'This API key lacks the scope "audience:download".' });
    expect((await listApiKeys()).find((k) => k.id === apiKey.id)!.lastUsedAt).toBeNull(); // refused calls are no use

    const ok = await verifyApiKey(`bearer   ${key}`, 'ingest');
    expect(ok).toEqual({ ok: true, key: { id: apiKey.id, name: 'Ingest only', prefix: apiKey.prefix, scopes: ['ingest', 'api:read'] } });
    expect((await listApiKeys()).find((k) => k.id === apiKey.id)!.lastUsedAt).toBeInstanceOf(Date);

    await revokeApiKey(adminId, { id: apiKey.id });
    expect(await verifyApiKey(`Bearer ${key}`, 'ingest')).toEqual({ ok: false, status: 401, message: 'This API key was revoked.' });
    await expect(revokeApiKey(adminId, { id: apiKey.id })).rejects.toMatchObject({ status: 409 });
    await expect(updateApiKey(adminId, { id: apiKey.id, name: 'x', scopes: ['ingest'] })).rejects.toMatchObject({ status: 409 });
    await expect(revokeApiKey(adminId, { id: 987_654 })).rejects.toMatchObject({ status: 404 });
    expect((await auditRows(apiKey.id)).map((r) => r.action)).toEqual(['apiKey.create', 'apiKey.revoke']);
  });

  it('rename and re-scope: audited with before and after, effective on the next request', async () => {
    const { apiKey, key } = await createApiKey(adminId, { name: 'Old', scopes: ['api:read'] });
    expect(await verifyApiKey(`Bearer ${key}`, 'audience:download')).toMatchObject({ status: 403 });
    const updated = await updateApiKey(adminId, { id: apiKey.id, name: 'New', scopes: ['audience:download', 'api:read', 'audience:download'] });
    expect(updated).toMatchObject({ name: 'New', scopes: ['audience:download', 'api:read'] });
    expect(await verifyApiKey(`Bearer ${key}`, 'audience:download')).toMatchObject({ ok: true });
    const audited = await auditRows(apiKey.id);
    expect(audited.at(-1)).toMatchObject({ action: 'apiKey.update', details: { before: { name: 'Old', scopes: ['api:read'] }, after: { name: 'New', scopes: ['audience:download', 'api:read'] } } });
    // Saving the same values again records nothing.
    await updateApiKey(adminId, { id: apiKey.id, name: 'New', scopes: ['api:read', 'audience:download'] });
    expect(await auditRows(apiKey.id)).toHaveLength(audited.length);
  });

  it('refuses bad input and stores nothing', async () => {
    const before = (await listApiKeys()).length;
    await expect(createApiKey(adminId, { name: ' ', scopes: ['ingest'] })).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/name/) });
    await expect(createApiKey(adminId, { name: 'x', scopes: [] })).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/at least one scope/) });
    await expect(createApiKey(adminId, { name: 'x', scopes: ['admin'] })).rejects.toMatchObject({ status: 422 });
    expect(await listApiKeys()).toHaveLength(before);
  });

  it('lists active keys before revoked ones, never the hash', async () => {
    const a = await createApiKey(adminId, { name: 'List A', scopes: ['ingest'] });
    const b = await createApiKey(adminId, { name: 'List B', scopes: ['ingest'] });
    await revokeApiKey(adminId, { id: a.apiKey.id });
    const list = await listApiKeys();
    const ids = list.map((k) => k.id);
    expect(ids.indexOf(b.apiKey.id)).toBeLessThan(ids.indexOf(a.apiKey.id));
    expect(list.every((k) => !('secretHash' in k) && !('secret_hash' in k))).toBe(true);
    expect(list.filter((k) => k.revokedAt === null).every((k, i, all) => i === 0 || all[i - 1]!.createdAt >= k.createdAt)).toBe(true);
  });
});

describe('permission', () => {
  it('lets admins only manage keys', () => {
    expect((['ADMIN', 'MARKETER', 'VIEWER'] as const).filter((role) => can(role, 'apiKeys.manage'))).toEqual(['ADMIN']);
  });
});

describe('request helpers', () => {
  it('reads bearer tokens and the client address', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('BEARER abc ')).toBe('abc');
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(clientIp(new Request('http://x/', { headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' } }))).toBe('203.0.113.9');
    expect(clientIp(new Request('http://x/', { headers: { 'x-real-ip': '198.51.100.4' } }))).toBe('198.51.100.4');
    expect(clientIp(new Request('http://x/'))).toBeNull();
  });
});
