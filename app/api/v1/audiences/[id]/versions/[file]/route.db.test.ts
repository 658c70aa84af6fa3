import { beforeAll, describe, expect, it } from 'vitest';
import { findExportableVersion, versionCsvStream } from '@/lib/audiences/export';
import { freezeAudience } from '@/lib/audiences/freeze';
import { countryIs, makeAudienceRow, makeProfile, makeUser } from '@/lib/audiences/testing';
import { createApiKey, revokeApiKey } from '@/lib/auth/api-keys';
import { getPool } from '@/lib/db/pool';
import { useTestDatabase } from '@/lib/test/database';
import { GET } from './route';

useTestDatabase();
let adminId = 0;
let audienceId = 0;
let downloadKey = '';
let downloadKeyId = 0;
let otherKey = '';

beforeAll(async () => {
  adminId = await makeUser('ADMIN');
  for (let i = 0; i < 3; i++) await makeProfile({ externalId: `api-${i}`, country: 'Apiland', email: `api${i}@example.test` });
  audienceId = await makeAudienceRow('API list', countryIs('Apiland'), ['externalId', 'email']);
  await freezeAudience(audienceId, adminId);
  const created = await createApiKey(adminId, { name: 'Fetcher', scopes: ['audience:download'] });
  downloadKey = created.key;
  downloadKeyId = created.apiKey.id;
  otherKey = (await createApiKey(adminId, { name: 'Ingest', scopes: ['ingest', 'api:read', 'api:write'] })).key;
});

function call(id: string, file: string, headers: Record<string, string> = {}, query = '') {
  const request = new Request(`http://127.0.0.1/api/v1/audiences/${id}/versions/${file}${query}`, { headers });
  return GET(request, { params: Promise.resolve({ id, file }) });
}
const bearer = (key: string) => ({ authorization: `Bearer ${key}`, 'x-forwarded-for': '203.0.113.7' });

describe('GET /api/v1/audiences/{id}/versions/{n}.csv', () => {
  it('401 without a key, with an unknown or malformed key, and after revocation', async () => {
    const none = await call(String(audienceId), '1.csv');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await call(String(audienceId), '1.csv', { authorization: 'Bearer twk_zzzzzzzz_' + 'x'.repeat(43) })).status).toBe(401);
    expect((await call(String(audienceId), '1.csv', { authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(401);
    const temp = await createApiKey(adminId, { name: 'Temp', scopes: ['audience:download'] });
    expect((await call(String(audienceId), '1.csv', bearer(temp.key))).status).toBe(200);
    await revokeApiKey(adminId, { id: temp.apiKey.id });
    const revoked = await call(String(audienceId), '1.csv', bearer(temp.key));
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: 'This API key was revoked.' });
  });

  it('403 for a key without audience:download', async () => {
    const response = await call(String(audienceId), '1.csv', bearer(otherKey));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  it('404 for an unknown audience, version or file name', async () => {
    for (const [id, file] of [['987654', '1.csv'], [String(audienceId), '2.csv'], [String(audienceId), '1'], [String(audienceId), '1.json'], [String(audienceId), '01.csv'], ['abc', '1.csv'], [String(audienceId), '1.csv.csv']]) {
      expect((await call(id!, file!, bearer(downloadKey))).status, `${id}/${file}`).toBe(404);
    }
  });

  it('200 streams the same bytes as the app download, as an attachment, and audits the key and address', async () => {
    const response = await call(String(audienceId), '1.csv', bearer(downloadKey));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="api-list-v1-3rows.csv"');
    const body = Buffer.from(await response.arrayBuffer());
    const version = await findExportableVersion(audienceId, 1);
    expect(body.equals(Buffer.from(await new Response(versionCsvStream(version)).arrayBuffer()))).toBe(true);
    expect(body.toString('utf8')).toBe('external_id,email\r\napi-0,api0@example.test\r\napi-1,api1@example.test\r\napi-2,api2@example.test\r\n');
    const audited = await getPool().query(`SELECT actor_id, details, ip FROM audit_log WHERE action = 'audience.download.api' ORDER BY id DESC LIMIT 1`);
    expect(audited.rows[0]).toMatchObject({ actor_id: null, ip: '203.0.113.7', details: { apiKeyId: downloadKeyId, number: 1, rowCount: 3, preset: null } });
    const used = await getPool().query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [downloadKeyId]);
    expect(used.rows[0].last_used_at).toBeInstanceOf(Date);
  });

  it('takes the download options (400 for unknown ones)', async () => {
    const bom = await call(String(audienceId), '1.csv', bearer(downloadKey), '?bom=1');
    expect([...Buffer.from(await bom.arrayBuffer()).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const google = await call(String(audienceId), '1.CSV', bearer(downloadKey), '?preset=google&hash=sha256');
    expect(google.status).toBe(200);
    expect((await google.text()).split('\r\n')[0]).toBe('Email');
    expect((await call(String(audienceId), '1.csv', bearer(downloadKey), '?preset=nope')).status).toBe(400);
  });
});
