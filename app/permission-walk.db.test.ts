/**
 * The permission walk: every server action (every export of a 'use server' module under app/) and
 * every route handler (every HTTP method of an app/ route.ts), called as each role, as a user still
 * on a one-time password, as a disabled user, and signed out, against a real database.
 * - Each must declare how it is guarded: actions through action(permission, …), handlers through
 *   withPermission or declareRouteAccess. One that does not fails here, so does one without a
 *   sample input below (the sample is what it would change if the check were missing).
 * - Refused: 401 (signed out, disabled) or 403 (role, pending password change), and the database
 *   is exactly as before. Allowed: not refused, and at least one allowed persona succeeds (so the
 *   sample is a change the refusals really kept out). Never a 500.
 * Only the session lookup is faked (next-auth's getServerSession returns the chosen user's id);
 * the user row, role, active flag and permission table are read for real on every call.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { declaredPermission } from '@/lib/auth/action';
import { hashPassword } from '@/lib/auth/password';
import { accessDenial, PERMISSIONS, type Permission, type Role } from '@/lib/auth/permissions';
import { declaredRouteAccess } from '@/lib/auth/route';
import { freezeAudience } from '@/lib/audiences/freeze';
import { stageProfileCsv } from '@/lib/import/profiles/stage';
import { getPool } from '@/lib/db/pool';
import { useTestDatabase } from '@/lib/test/database';

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string; authTime: number } } }));

vi.mock('next-auth', async (importOriginal) => ({
  ...(await importOriginal<typeof import('next-auth')>()),
  getServerSession: vi.fn(async () => session.current),
}));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'x-forwarded-for': '192.0.2.10', 'user-agent': 'permission-walk' }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn(), updateTag: vi.fn() }));

useTestDatabase();

const ROOT = path.resolve(import.meta.dirname);
const REPO = path.dirname(ROOT);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const files = walk(ROOT);
const relative = (file: string) => path.relative(REPO, file).split(path.sep).join('/');
/** A module-level 'use server' directive: the first statement of the file. */
const isActionModule = (source: string) => /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*['"]use server['"]/.test(source);
const actionModules = files.filter((f) => isActionModule(readFileSync(f, 'utf8')));
const routeModules = files.filter((f) => path.basename(f) === 'route.ts');
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

type Persona = { key: string; role: Role | null; active: boolean; mustChangePassword: boolean; id: number; password: string };
const personas: Persona[] = [
  { key: 'signed out', role: null, active: true, mustChangePassword: false, id: 0, password: '' },
  { key: 'disabled admin', role: 'ADMIN', active: false, mustChangePassword: false, id: 0, password: 'walk-disabled-pass-1' },
  { key: 'admin', role: 'ADMIN', active: true, mustChangePassword: false, id: 0, password: 'walk-admin-pass-1' },
  { key: 'marketer', role: 'MARKETER', active: true, mustChangePassword: false, id: 0, password: 'walk-marketer-pass-1' },
  { key: 'viewer', role: 'VIEWER', active: true, mustChangePassword: false, id: 0, password: 'walk-viewer-pass-1' },
  { key: 'marketer on a one-time password', role: 'MARKETER', active: true, mustChangePassword: true, id: 0, password: 'walk-pending-pass-1' },
];

/** What the permission table says this persona gets: null when allowed, else the status of the refusal. */
function expectedRefusal(persona: Persona, permission: Permission): 401 | 403 | null {
  if (!persona.role || !persona.active) return 401;
  return accessDenial({ role: persona.role, mustChangePassword: persona.mustChangePassword }, permission) ? 403 : null;
}

const seed = { profileId: 0, segmentId: 0, audienceId: 0, csvAudienceId: 0, targetUserId: 0, apiKeyId: 0, importId: 0, importsToUse: [] as number[] };
const IMPORT_CSV = 'id,city\nwalk-9,Paris\n';
const IMPORT_MAPPING = { columns: [{ kind: 'field', field: 'externalId' }, { kind: 'field', field: 'city' }], rowIds: null };
/** A staged upload of its own for each call of a sample that uses one up (run, discard). */
const nextImport = () => ({ id: String(seed.importsToUse.shift() ?? 0) });
const rules = { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 1 }] };
let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}`;

/** A valid input for each server action, keyed by module and export: what it would change if let through. */
const ACTION_SAMPLES: Record<string, (persona: Persona) => unknown> = {
  'app/(app)/account/actions.ts#changeOwnPasswordAction': (p) => ({ currentPassword: p.password, newPassword: `${p.password}-new`, confirmPassword: `${p.password}-new` }),
  'app/(app)/admin/settings/actions.ts#setTimeZoneAction': () => ({ timeZone: n++ % 2 ? 'Europe/Paris' : 'Europe/Berlin' }),
  'app/(app)/admin/users/actions.ts#createUserAction': () => ({ email: `${unique('walk-new')}@shop.test`, name: 'New', role: 'VIEWER' }),
  'app/(app)/admin/users/actions.ts#changeRoleAction': () => ({ userId: seed.targetUserId, role: n++ % 2 ? 'MARKETER' : 'VIEWER' }),
  'app/(app)/admin/users/actions.ts#setActiveAction': () => ({ userId: seed.targetUserId, active: n++ % 2 === 0 }),
  'app/(app)/admin/users/actions.ts#resetPasswordAction': () => ({ userId: seed.targetUserId }),
  'app/(app)/pins/actions.ts#pinProfileAction': () => ({ segmentId: seed.segmentId, profileId: seed.profileId, mode: n++ % 2 ? 'IN' : 'OUT', reason: 'walk' }),
  'app/(app)/pins/actions.ts#unpinProfileAction': () => ({ segmentId: seed.segmentId, profileId: seed.profileId }),
  'app/(app)/segments/actions.ts#createSegmentAction': () => ({ name: unique('Walk segment'), rules }),
  'app/(app)/segments/actions.ts#updateSegmentAction': () => ({ id: seed.segmentId, name: unique('Walk renamed'), rules }),
  'app/(app)/segments/actions.ts#setSegmentStatusAction': () => ({ id: seed.segmentId, status: n++ % 2 ? 'ACTIVE' : 'PAUSED' }),
  'app/(app)/segments/actions.ts#runEvaluationAction': () => ({}),
  'app/(app)/audiences/actions.ts#createAudienceAction': () => ({ name: unique('Walk audience'), rules, columns: ['externalId'] }),
  'app/(app)/audiences/actions.ts#updateAudienceAction': () => ({ id: seed.audienceId, name: unique('Walk audience renamed'), rules, columns: ['externalId', 'email'] }),
  'app/(app)/audiences/actions.ts#freezeAudienceAction': () => ({ audienceId: seed.audienceId }),
  'app/(app)/audiences/actions.ts#deleteVersionAction': () => ({ audienceId: seed.audienceId, number: 1 }),
  'app/(app)/admin/api-keys/actions.ts#createApiKeyAction': () => ({ name: unique('Walk key'), scopes: ['api:read'] }),
  'app/(app)/admin/api-keys/actions.ts#updateApiKeyAction': () => ({ id: seed.apiKeyId, name: unique('Walk key renamed'), scopes: ['ingest'] }),
  'app/(app)/admin/api-keys/actions.ts#revokeApiKeyAction': () => ({ id: seed.apiKeyId }),
  'app/(app)/traits/actions.ts#defineTraitAction': () => ({ key: unique('walk').replace(/\W/g, '_'), label: 'Walk trait', type: 'number' }),
  'app/(app)/traits/actions.ts#updateTraitAction': () => ({ key: 'walkTrait', label: unique('Walk label'), type: 'number' }),
  'app/(app)/traits/actions.ts#deleteTraitAction': () => ({ key: 'walkUnused' }),
};

type RouteSample = { url: string; init?: RequestInit; params?: () => Record<string, string> };
const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
/** A valid request for each guarded route handler, keyed by file and method. */
const ROUTE_SAMPLES: Record<string, RouteSample> = {
  'app/api/segments/route.ts#GET': { url: '/api/segments' },
  'app/api/segments/[id]/route.ts#GET': { url: '/api/segments/x', params: () => ({ id: String(seed.segmentId) }) },
  'app/api/rules/count/route.ts#POST': { url: '/api/rules/count', init: json({ rules }) },
  'app/api/fields/[field]/values/route.ts#GET': { url: '/api/fields/country/values', params: () => ({ field: 'country' }) },
  'app/api/audiences/preview/route.ts#POST': { url: '/api/audiences/preview', init: json({ rules, columns: ['externalId'] }) },
  'app/api/audiences/[id]/versions/[number]/csv/route.ts#GET': { url: '/api/audiences/x/versions/1/csv', params: () => ({ id: String(seed.csvAudienceId), number: '1' }) },
  'app/(app)/admin/audit/csv/route.ts#GET': { url: '/admin/audit/csv?entity=segment' },
  'app/api/cron/segments/route.ts#GET': { url: '/api/cron/segments' },
  'app/api/cron/segments/route.ts#POST': { url: '/api/cron/segments', init: { method: 'POST' } },
  'app/api/health/route.ts#GET': { url: '/api/health' },
  'app/api/rules/explain/route.ts#POST': { url: '/api/rules/explain', init: json({ rules, profile: 'walk-1' }) },
  'app/api/audiences/[id]/compare/route.ts#GET': { url: '/api/audiences/x/compare?from=1&to=1&list=kept', params: () => ({ id: String(seed.csvAudienceId) }) },
  'app/api/audiences/[id]/versions/upload/route.ts#POST': {
    url: '/api/audiences/x/versions/upload?check=1',
    init: { method: 'POST', body: 'externalId\nwalk-1\n', headers: { 'x-file-name': 'list.csv' } },
    params: () => ({ id: String(seed.audienceId) }),
  },
  'app/api/v1/t/[call]/route.ts#POST': { url: '/api/v1/t/track', init: json({ userId: 'walk-1', event: 'Walked' }), params: () => ({ call: 'track' }) },
  'app/api/v1/t/[call]/route.ts#OPTIONS': { url: '/api/v1/t/batch', init: { method: 'OPTIONS' }, params: () => ({ call: 'batch' }) },
  // No key in the samples: every persona gets 401, whatever its session (the key checks are in the routes' own tests).
  'app/api/v1/audiences/[id]/versions/[file]/route.ts#GET': { url: '/api/v1/audiences/x/versions/1.csv', params: () => ({ id: String(seed.csvAudienceId), file: '1.csv' }) },
  'app/api/v1/openapi.json/route.ts#GET': { url: '/api/v1/openapi.json' },
  'app/api/v1/profiles/route.ts#GET': { url: '/api/v1/profiles?externalId=walk-1' },
  'app/api/v1/profiles/[externalId]/route.ts#GET': { url: '/api/v1/profiles/walk-1', params: () => ({ externalId: 'walk-1' }) },
  'app/api/v1/segments/route.ts#GET': { url: '/api/v1/segments' },
  'app/api/v1/segments/route.ts#POST': { url: '/api/v1/segments', init: json({ name: 'Walk via API', rules }) },
  'app/api/v1/segments/[id]/route.ts#GET': { url: '/api/v1/segments/x', params: () => ({ id: String(seed.segmentId) }) },
  'app/api/v1/segments/[id]/route.ts#PATCH': { url: '/api/v1/segments/x', init: { ...json({ name: 'Walk renamed via API' }), method: 'PATCH' }, params: () => ({ id: String(seed.segmentId) }) },
  'app/api/v1/segments/[id]/route.ts#DELETE': { url: '/api/v1/segments/x', init: { method: 'DELETE' }, params: () => ({ id: String(seed.segmentId) }) },
  'app/api/v1/segments/[id]/members/route.ts#GET': { url: '/api/v1/segments/x/members?limit=5', params: () => ({ id: String(seed.segmentId) }) },
  'app/api/v1/evaluations/route.ts#POST': { url: '/api/v1/evaluations', init: { method: 'POST' } },
  'app/api/imports/route.ts#POST': { url: '/api/imports', init: { method: 'POST', body: IMPORT_CSV, headers: { 'x-file-name': 'walk.csv', 'content-type': 'text/csv' } } },
  'app/api/imports/[id]/route.ts#GET': { url: '/api/imports/x', params: () => ({ id: String(seed.importId) }) },
  'app/api/imports/[id]/route.ts#DELETE': { url: '/api/imports/x', init: { method: 'DELETE' }, params: nextImport },
  'app/api/imports/[id]/check/route.ts#POST': { url: '/api/imports/x/check', init: json({ mapping: IMPORT_MAPPING }), params: () => ({ id: String(seed.importId) }) },
  'app/api/imports/[id]/run/route.ts#POST': { url: '/api/imports/x/run', init: json({ mapping: IMPORT_MAPPING }), params: nextImport },
};

/** Every table's content, to show that a refused call changed nothing. */
async function fingerprint(): Promise<Record<string, string>> {
  const pool = getPool();
  const { rows } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
  );
  const result: Record<string, string> = {};
  for (const { table_name } of rows) {
    const r = await pool.query<{ sum: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM "${table_name}" t`);
    result[table_name] = r.rows[0]!.sum;
  }
  return result;
}

/** Puts the persona's user row back as the persona says (an allowed call may have changed it), then signs it in. */
async function become(persona: Persona) {
  if (!persona.role) {
    session.current = null;
    return;
  }
  await getPool().query(`UPDATE users SET role = $2::"Role", active = $3, must_change_password = $4, sessions_valid_from = NULL WHERE id = $1`, [
    persona.id,
    persona.role,
    persona.active,
    persona.mustChangePassword,
  ]);
  session.current = { user: { id: String(persona.id), authTime: Date.now() } };
}

beforeAll(async () => {
  const pool = getPool();
  for (const persona of personas) {
    if (!persona.role) continue;
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO users (email, name, password_hash, role, active, must_change_password, updated_at) VALUES ($1, $2, $3, $4::"Role", $5, $6, now()) RETURNING id`,
      [`${persona.key.replace(/\W+/g, '-')}@walk.test`, persona.key, await hashPassword(persona.password), persona.role, persona.active, persona.mustChangePassword],
    );
    persona.id = rows[0]!.id;
  }
  const target = await pool.query<{ id: number }>(`INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('target@walk.test', 'Target', 'x', 'VIEWER', now()) RETURNING id`);
  seed.targetUserId = target.rows[0]!.id;
  const profile = await pool.query<{ id: number }>(`INSERT INTO profiles (external_id, country, order_count) VALUES ('walk-1', 'France', 2), ('walk-2', 'Spain', 0) RETURNING id`);
  seed.profileId = profile.rows[0]!.id;
  const segment = await pool.query<{ id: number }>(`INSERT INTO segments (name, rules, updated_at) VALUES ('Walk base', $1, now()) RETURNING id`, [JSON.stringify(rules)]);
  seed.segmentId = segment.rows[0]!.id;
  const audiences = await pool.query<{ id: number }>(
    `INSERT INTO audiences (name, rules, columns, updated_at) VALUES ('Walk audience', $1, '["externalId"]', now()), ('Walk csv', $1, '["externalId"]', now()) RETURNING id`,
    [JSON.stringify(rules)],
  );
  [seed.audienceId, seed.csvAudienceId] = audiences.rows.map((r) => r.id) as [number, number];
  await freezeAudience(seed.audienceId, null);
  await freezeAudience(seed.csvAudienceId, null);
  seed.apiKeyId = (await pool.query<{ id: number }>(`INSERT INTO api_keys (name, prefix, secret_hash, scopes) VALUES ('Walk key', 'twk_walk0001', repeat('0', 64), '{api:read}') RETURNING id`)).rows[0]!.id;
  await pool.query(`INSERT INTO trait_definitions (key, label, type) VALUES ('walkTrait', 'Walk trait', 'number'), ('walkUnused', 'Unused', 'text')`);
  process.env.CRON_SECRET = 'permission-walk-cron-secret';
  const upload = async () => (await stageProfileCsv([new TextEncoder().encode(IMPORT_CSV)], { fileName: 'walk.csv' }, null)).id;
  seed.importId = await upload();
  // Each call of the run and discard samples (one per persona and method) takes an upload of its own.
  for (let i = 0; i < personas.length * 2; i++) seed.importsToUse.push(await upload());
});

describe('discovery', () => {
  it('finds the server action modules and route handlers, and no inline "use server" it could not walk', () => {
    expect(actionModules.length).toBeGreaterThanOrEqual(6);
    expect(routeModules.length).toBeGreaterThanOrEqual(9);
    const inline = files.filter((f) => !actionModules.includes(f) && /['"]use server['"]/.test(readFileSync(f, 'utf8')));
    expect(inline.map(relative), 'server actions must live in a module-level "use server" file, made with action()').toEqual([]);
  });
});

describe.each(actionModules.map((f) => [relative(f), f] as const))('server actions in %s', (name, file) => {
  it('every export declares a permission from the table and a sample input', async () => {
    const mod = (await import(file)) as Record<string, unknown>;
    const exports = Object.entries(mod);
    expect(exports.length).toBeGreaterThan(0);
    for (const [exportName, fn] of exports) {
      const permission = declaredPermission(fn);
      expect(permission, `${name}#${exportName} must be made with action(permission, schema, fn)`).toBeDefined();
      expect(Object.keys(PERMISSIONS)).toContain(permission);
      expect(ACTION_SAMPLES[`${name}#${exportName}`], `add a sample input for ${name}#${exportName} to the permission walk`).toBeDefined();
    }
  });

  it('refuses or allows each persona as the permission table says; refusals change nothing; never a 500', async () => {
    const mod = (await import(file)) as Record<string, (input: unknown) => Promise<{ ok: boolean; status?: number; error?: string }>>;
    for (const [exportName, fn] of Object.entries(mod)) {
      const permission = declaredPermission(fn)!;
      const sample = ACTION_SAMPLES[`${name}#${exportName}`]!;
      let succeeded = 0;
      for (const persona of personas) {
        await become(persona);
        const label = `${exportName} as ${persona.key}`;
        const refusal = expectedRefusal(persona, permission);
        const before = refusal ? await fingerprint() : null;
        const result = await fn(sample(persona));
        expect(result.status, `${label}: ${result.error}`).not.toBe(500);
        if (refusal) {
          expect(result, label).toMatchObject({ ok: false, status: refusal });
          expect(await fingerprint(), `${label} changed the database`).toEqual(before);
        } else {
          // Allowed: not refused. It may still fail on the state an earlier persona left (a pin already lifted).
          expect([401, 403], `${label}: ${result.error}`).not.toContain(result.status);
          if (result.ok) succeeded++;
        }
      }
      // At least one allowed persona got through, so the sample is a real change the refusals kept out.
      expect(succeeded, `${exportName}: no allowed persona succeeded; fix its sample input`).toBeGreaterThan(0);
    }
  });
});

describe.each(routeModules.map((f) => [relative(f), f] as const))('route handlers in %s', (name, file) => {
  it('every HTTP method declares its access and has a sample request', async () => {
    const mod = (await import(file)) as Record<string, unknown>;
    const handlers = Object.entries(mod).filter(([k]) => HTTP_METHODS.includes(k));
    expect(handlers.length).toBeGreaterThan(0);
    for (const [method, handler] of handlers) {
      expect(declaredRouteAccess(handler), `${name}#${method} must use withPermission or declareRouteAccess`).toBeDefined();
      const access = declaredRouteAccess(handler)!;
      if (access.kind === 'public') expect(access.reason.length, 'a public route says why').toBeGreaterThan(10);
      if (!name.includes('[...nextauth]')) expect(ROUTE_SAMPLES[`${name}#${method}`], `add a sample request for ${name}#${method} to the permission walk`).toBeDefined();
    }
  });

  it('answers each persona as declared: refusals are 401/403 and change nothing; never a 500', async () => {
    const mod = (await import(file)) as Record<string, (request: Request, context: unknown) => Promise<Response>>;
    for (const [method, handler] of Object.entries(mod).filter(([k]) => HTTP_METHODS.includes(k))) {
      const access = declaredRouteAccess(handler)!;
      const sample = ROUTE_SAMPLES[`${name}#${method}`];
      if (!sample) continue; // public next-auth endpoints: next-auth's own CSRF and credential checks
      for (const persona of personas) {
        await become(persona);
        const label = `${method} ${sample.url} as ${persona.key}`;
        const refusal = access.kind === 'permission' ? expectedRefusal(persona, access.permission) : access.kind === 'secret' || access.kind === 'apiKey' ? 401 : null;
        const before = refusal ? await fingerprint() : null;
        const response = await handler(new Request(`http://localhost${sample.url}`, sample.init), { params: Promise.resolve(sample.params?.() ?? {}) });
        const body = await response.text();
        expect(response.status, `${label}: ${body.slice(0, 200)}`).not.toBe(500);
        if (refusal) {
          expect(response.status, label).toBe(refusal);
          expect(await fingerprint(), `${label} changed the database`).toEqual(before);
        } else {
          expect(response.status, `${label}: ${body.slice(0, 200)}`).toBeLessThan(400);
        }
      }
    }
    // A secret-guarded route works with its secret (so the 401s above are the guard, not a broken sample).
    if (Object.values(mod).some((h) => declaredRouteAccess(h)?.kind === 'secret')) {
      const response = await mod.GET!(new Request('http://localhost/api/cron/segments', { headers: { authorization: `Bearer ${process.env.CRON_SECRET}` } }), {});
      expect(response.status).toBe(200);
    }
  });
});

const hasString = (value: unknown): boolean =>
  typeof value === 'string' || (!!value && typeof value === 'object' && Object.values(value).some(hasString));

/** Replaces every string in a value with a very long one. */
function inflate(value: unknown): unknown {
  if (typeof value === 'string') return 'x'.repeat(100_000);
  if (Array.isArray(value)) return value.map(inflate);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inflate(v)]));
  return value;
}

const WRONG_TYPES = {
  id: 'DROP TABLE segments',
  name: 123,
  description: { nested: true },
  rules: 'everyone',
  email: {},
  userId: -1,
  role: 'GOD',
  active: 'yes',
  timeZone: [],
  segmentId: 1e20,
  profileId: Number.NaN,
  audienceId: '1',
  number: 1.5,
  status: 'HACKED',
  mode: 'ALL',
  reason: 5,
  columns: 'all',
  currentPassword: 1,
  newPassword: null,
  confirmPassword: [],
};

describe.each(actionModules.map((f) => [relative(f), f] as const))('hostile input to the server actions in %s', (name, file) => {
  it('wrong types, junk, oversized strings and prototype keys are refused as bad input (4xx), and nothing is stored', async () => {
    const admin = personas.find((p) => p.key === 'admin')!;
    const mod = (await import(file)) as Record<string, (input: unknown) => Promise<{ ok: boolean; status?: number; error?: string }>>;
    for (const [exportName, fn] of Object.entries(mod)) {
      const sample = ACTION_SAMPLES[`${name}#${exportName}`]!;
      const hostile: [string, unknown][] = [
        ['null', null],
        ['a number', 42],
        ['a string', '<script>alert(1)</script>'],
        ['an array', [1, 2, 3]],
        ['an unknown key only', { unexpected: true }],
        ['wrong types', WRONG_TYPES],
        ...(hasString(sample(admin)) ? [['oversized strings', inflate(sample(admin))] as [string, unknown]] : []),
        ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')],
      ];
      for (const [what, input] of hostile) {
        await become(admin);
        const before = await fingerprint();
        const result = await fn(input);
        expect(result.ok, `${exportName} with ${what}`).toBe(false);
        expect(result.status, `${exportName} with ${what}: ${result.error}`).toBeGreaterThanOrEqual(400);
        expect(result.status, `${exportName} with ${what}: ${result.error}`).toBeLessThan(500);
        expect(await fingerprint(), `${exportName} with ${what} changed the database`).toEqual(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
    }
  });
});
