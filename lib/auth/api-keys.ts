import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { audit } from '../audit';
import { getPool, withTransaction, type Queryable } from '../db/pool';
import { ExpectedError, NotFoundError } from './errors';
import { declareRouteAccess } from './route-access';

/**
 * API keys: bearer secrets for machines (an ad platform's fetcher, an ingestion client, scripts).
 *
 * A key reads `twk_<8 id chars>_<43 secret chars>` (32 random bytes, base64url). The first part,
 * "twk_<id>", is the key's prefix: stored in clear, unique, shown in lists and used to find the row.
 * Only the hex SHA-256 of the whole key is stored; the key itself is shown once, at creation.
 * A fast hash is enough here (unlike passwords): the secret has 256 bits of entropy, so there is
 * nothing to guess, and a fast hash keeps every authenticated request cheap.
 */
export const API_KEY_SCOPES = ['audience:download', 'ingest', 'api:read', 'api:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, string> = {
  'audience:download': 'Download audience versions as CSV',
  ingest: 'Send profile and event data',
  'api:read': 'Read through the API',
  'api:write': 'Change through the API',
};

const KEY_PATTERN = /^(twk_[a-z0-9]{8})_[A-Za-z0-9_-]{43}$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** last_used_at is written at most this often per key, so a busy client does not turn every request into a write. */
const LAST_USED_GRANULARITY_SECONDS = 60;

export const apiKeyNameSchema = z.string({ error: 'Give the key a name.' }).trim().min(1, { error: 'Give the key a name.' }).max(100, { error: 'Use at most 100 characters.' });
export const apiKeyScopesSchema = z
  .array(z.enum(API_KEY_SCOPES, { error: 'Unknown scope.' }), { error: 'Choose the scopes.' })
  .min(1, { error: 'Choose at least one scope.' })
  .transform((scopes) => API_KEY_SCOPES.filter((s) => scopes.includes(s))); // one order, no repeats
export const apiKeyIdSchema = z.coerce.number({ error: 'Unknown key.' }).int().positive();

export const createApiKeySchema = z.object({ name: apiKeyNameSchema, scopes: apiKeyScopesSchema });
export const updateApiKeySchema = z.object({ id: apiKeyIdSchema, name: apiKeyNameSchema, scopes: apiKeyScopesSchema });
export const revokeApiKeySchema = z.object({ id: apiKeyIdSchema });

export interface ApiKeySummary {
  id: number;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function randomId(length: number): string {
  const bytes = randomBytes(length);
  // 256 % 36 != 0 makes a tiny bias; irrelevant for an identifier that is not secret.
  return Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

/** A new key and its prefix (not stored anywhere by this function). */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `twk_${randomId(8)}`;
  return { key: `${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ExpectedError(parsed.error.issues.map((i) => i.message).join(' '), 422);
  return parsed.data;
}

const SUMMARY_SQL = `SELECT k.id, k.name, k.prefix, k.scopes, u.name AS "createdBy", k.created_at AS "createdAt",
                            k.last_used_at AS "lastUsedAt", k.revoked_at AS "revokedAt"
                       FROM api_keys k LEFT JOIN users u ON u.id = k.created_by_id`;

/** Active keys first, then revoked ones; newest first within each. */
export async function listApiKeys(client: Queryable = getPool()): Promise<ApiKeySummary[]> {
  const r = await client.query<ApiKeySummary>(`${SUMMARY_SQL} ORDER BY (k.revoked_at IS NOT NULL), k.created_at DESC, k.id DESC`);
  return r.rows;
}

async function getApiKey(id: number, client: Queryable): Promise<ApiKeySummary> {
  const r = await client.query<ApiKeySummary>(`${SUMMARY_SQL} WHERE k.id = $1`, [id]);
  if (!r.rows[0]) throw new NotFoundError('The API key');
  return r.rows[0];
}

/** Creates a key; the returned `key` is the only time anyone sees it. */
export async function createApiKey(actorId: number, input: unknown): Promise<{ apiKey: ApiKeySummary; key: string }> {
  const { name, scopes } = parse(createApiKeySchema, input);
  const { key, prefix } = generateApiKey();
  const apiKey = await withTransaction(async (client) => {
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO api_keys (name, prefix, secret_hash, scopes, created_by_id) VALUES ($1, $2, $3, $4::text[], $5) RETURNING id`,
      [name, prefix, hashApiKey(key), scopes, actorId],
    );
    const id = inserted.rows[0]!.id;
    await audit({ actorId, action: 'apiKey.create', entityType: 'api_key', entityId: id, details: { after: { name, prefix, scopes } } }, client);
    return getApiKey(id, client);
  });
  return { apiKey, key };
}

/** Renames a key or changes its scopes (takes effect on the key's next request). */
export async function updateApiKey(actorId: number, input: unknown): Promise<ApiKeySummary> {
  const { id, name, scopes } = parse(updateApiKeySchema, input);
  return withTransaction(async (client) => {
    const before = await client.query<{ name: string; scopes: string[]; revoked_at: Date | null }>(
      `SELECT name, scopes, revoked_at FROM api_keys WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = before.rows[0];
    if (!row) throw new NotFoundError('The API key');
    if (row.revoked_at) throw new ExpectedError('This key is revoked; create a new one instead.', 409);
    if (row.name === name && row.scopes.join() === scopes.join()) return getApiKey(id, client);
    await client.query(`UPDATE api_keys SET name = $2, scopes = $3::text[] WHERE id = $1`, [id, name, scopes]);
    await audit(
      { actorId, action: 'apiKey.update', entityType: 'api_key', entityId: id, details: { before: { name: row.name, scopes: row.scopes }, after: { name, scopes } } },
      client,
    );
    return getApiKey(id, client);
  });
}

/** Revokes a key for good: every later request with it gets 401. */
export async function revokeApiKey(actorId: number, input: unknown): Promise<ApiKeySummary> {
  const { id } = parse(revokeApiKeySchema, input);
  return withTransaction(async (client) => {
    const revoked = await client.query<{ name: string; prefix: string }>(
      `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING name, prefix`,
      [id],
    );
    if (!revoked.rows[0]) {
      await getApiKey(id, client); // 404 when it does not exist
      throw new ExpectedError('This key is already revoked.', 409);
    }
    await audit({ actorId, action: 'apiKey.revoke', entityType: 'api_key', entityId: id, details: revoked.rows[0] }, client);
    return getApiKey(id, client);
  });
}

export interface VerifiedApiKey {
  id: number;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
}

export type ApiKeyCheck = { ok: true; key: VerifiedApiKey } | { ok: false; status: 401 | 403; message: string };

/** The key in `Authorization: Bearer <key>`, or null. The scheme is case-insensitive (RFC 7235). */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

// Compared against when no row has the prefix, so an unknown key costs the same comparison.
const DUMMY_HASH = Buffer.from(hashApiKey('twk_00000000_unknown'), 'hex');

/**
 * Checks a request's bearer key: 401 when missing, malformed, unknown or revoked; 403 when it lacks
 * `scope`. The hash comparison is constant-time. A successful check records last_used_at.
 */
export async function verifyApiKey(authorization: string | null | undefined, scope: ApiKeyScope, client: Queryable = getPool()): Promise<ApiKeyCheck> {
  const token = bearerToken(authorization);
  if (!token) return { ok: false, status: 401, message: 'Send an API key: Authorization: Bearer <key>.' };
  return verifyApiKeyToken(token, scope, client);
}

/**
 * The key in `Authorization: Basic base64(<key>:)`, as the Segment tracking API sends a write key (the key
 * as user name, the password empty and ignored), or null.
 */
export function basicAuthUser(header: string | null | undefined): string | null {
  const match = /^Basic[ ]+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user === '' ? null : user;
}

/** verifyApiKey for a key already taken out of its header (bearer, HTTP Basic, or a write key in a body). */
export async function verifyApiKeyToken(token: string, scope: ApiKeyScope, client: Queryable = getPool()): Promise<ApiKeyCheck> {
  const prefix = KEY_PATTERN.exec(token)?.[1];
  const presented = Buffer.from(hashApiKey(token), 'hex');
  // One round trip: the row, and last_used_at touched when the key is good for the scope. The hash
  // compare in SQL only decides that touch (and would only tell a caller who has the key); the answer
  // is decided below, in constant time.
  const found = prefix
    ? await client.query<{ id: number; name: string; secret_hash: string; scopes: string[]; revoked_at: Date | null }>(
        `WITH k AS (SELECT id, name, secret_hash, scopes, revoked_at, last_used_at FROM api_keys WHERE prefix = $1),
         touched AS (
           UPDATE api_keys a SET last_used_at = now() FROM k
            WHERE a.id = k.id AND k.secret_hash = $2 AND k.revoked_at IS NULL AND $3 = ANY(k.scopes)
              AND (k.last_used_at IS NULL OR k.last_used_at < now() - make_interval(secs => $4)))
         SELECT id, name, secret_hash, scopes, revoked_at FROM k`,
        [prefix, presented.toString('hex'), scope, LAST_USED_GRANULARITY_SECONDS],
      )
    : null;
  const row = found?.rows[0];
  const stored = row ? Buffer.from(row.secret_hash, 'hex') : DUMMY_HASH;
  const matches = stored.length === presented.length && timingSafeEqual(stored, presented) && row !== undefined;
  if (!matches || !row) return { ok: false, status: 401, message: 'This API key is not valid.' };
  if (row.revoked_at) return { ok: false, status: 401, message: 'This API key was revoked.' };
  const scopes = API_KEY_SCOPES.filter((s) => row.scopes.includes(s));
  if (!scopes.includes(scope)) return { ok: false, status: 403, message: `This API key lacks the scope "${scope}".` };
  return { ok: true, key: { id: row.id, name: row.name, prefix: prefix!, scopes } };
}

/** The client's address as the first proxy (or Next's server) recorded it; for the audit log, not for security decisions. */
export function clientIp(request: Request): string | null {
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  const ip = forwarded || request.headers.get('x-real-ip')?.trim();
  return ip ? ip.slice(0, 64) : null;
}

/**
 * Wraps a route handler for machine clients: the bearer key must be valid and hold `scope`.
 * 401 answers carry `WWW-Authenticate: Bearer`; expected errors from the handler map to their status.
 */
export function withApiKey<C>(scope: ApiKeyScope, handler: (request: Request, key: VerifiedApiKey, context: C) => Promise<Response>) {
  return declareRouteAccess({ kind: 'apiKey', scope }, async (request: Request, context: C): Promise<Response> => {
    try {
      const check = await verifyApiKey(request.headers.get('authorization'), scope);
      if (!check.ok) {
        const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
        if (check.status === 401) headers['WWW-Authenticate'] = `Bearer realm="tagwise"${authorizationPresent(request) ? ', error="invalid_token"' : ''}`;
        else headers['WWW-Authenticate'] = `Bearer realm="tagwise", error="insufficient_scope", scope="${scope}"`;
        return NextResponse.json({ error: check.message }, { status: check.status, headers });
      }
      return await handler(request, check.key, context);
    } catch (error) {
      // As route.ts's errorResponse, without importing the session code (scripts import this module).
      if (error instanceof ExpectedError) return NextResponse.json({ error: error.message }, { status: error.status });
      console.error('route failed', error);
      return NextResponse.json({ error: 'Internal error' }, { status: 500 });
    }
  });
}

function authorizationPresent(request: Request): boolean {
  return request.headers.has('authorization');
}
