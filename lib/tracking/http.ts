import { basicAuthUser, bearerToken, verifyApiKeyToken, type ApiKeyCheck } from '../auth/api-keys';
import { readJsonBody } from './body';
import { CALL_TYPES, MAX_BATCH_BYTES, MAX_CALL_BYTES, parseBatch, parseCall, type CallType, type TrackingCall } from './calls';
import { storeCalls } from './queue';
import { evaluationRequested } from '../segments/realtime';

/**
 * The tracking endpoints, as the Segment HTTP tracking API defines them, relative to the base
 * /api/v1/t: POST /identify, /track, /page, /screen, /group, /alias (one call) and /batch.
 * Write keys are API keys with the `ingest` scope, sent as HTTP Basic user name (empty password),
 * as a bearer token, or as `writeKey` in the body (browsers). Answers: 200 {"success": true} for an
 * accepted request (also when every call in it had been stored before), 400 for a body that is not
 * JSON, over the size limits or with any invalid call (nothing of it is stored), 401 for a missing,
 * unknown or revoked key, 403 for a key without the ingest scope, 415 for an unsupported encoding.
 */
export type Endpoint = CallType | 'batch';

export function endpointOf(path: string): Endpoint | null {
  return path === 'batch' || (CALL_TYPES as readonly string[]).includes(path) ? (path as Endpoint) : null;
}

// Browsers' analytics libraries post across origins; the write key, not the origin, is the credential.
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Content-Encoding',
  'Access-Control-Max-Age': '86400',
  'Access-Control-Expose-Headers': 'Server-Timing',
};

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...CORS, ...headers },
  });
}

const refuse = (status: number, message: string, errors?: string[], headers?: Record<string, string>) =>
  answer(status, { success: false, message, ...(errors ? { errors } : {}) }, headers);

export function preflight(): Response {
  return new Response(null, { status: 204, headers: CORS });
}

const UNAUTHORIZED = { 'WWW-Authenticate': 'Basic realm="tagwise", charset="UTF-8"' };

// Concurrent requests with the same key share one look-up in flight (nothing is kept after it answers,
// so a revoked key is refused from the next look-up on).
const verifying = new Map<string, Promise<ApiKeyCheck>>();
function verifyWriteKey(key: string): Promise<ApiKeyCheck> {
  let check = verifying.get(key);
  if (!check) {
    check = verifyApiKeyToken(key, 'ingest').finally(() => verifying.delete(key));
    verifying.set(key, check);
  }
  return check;
}

export async function handleTrackingRequest(request: Request, endpoint: Endpoint): Promise<Response> {
  const receivedAt = new Date();
  const started = performance.now();
  try {
    const header = request.headers.get('authorization');
    let key = header ? (basicAuthUser(header) ?? bearerToken(header)) : null;
    if (header && !key) return refuse(401, 'Send the write key as HTTP Basic user name (empty password).', undefined, UNAUTHORIZED);
    // A key in the header is checked before the body is read, so an unknown client costs no parsing.
    if (key) {
      const check = await verifyWriteKey(key);
      if (!check.ok) return refuse(check.status, check.message, undefined, check.status === 401 ? UNAUTHORIZED : undefined);
    }
    const body = await readJsonBody(request, endpoint === 'batch' ? MAX_BATCH_BYTES : MAX_CALL_BYTES);
    if (!body.ok) return refuse(body.status, body.message);
    if (!key) {
      const inBody = typeof body.value === 'object' && body.value !== null ? (body.value as { writeKey?: unknown }).writeKey : undefined;
      key = typeof inBody === 'string' && inBody !== '' ? inBody : null;
      if (!key) return refuse(401, 'Send a write key: HTTP Basic with the key as user name, or writeKey in the body.', undefined, UNAUTHORIZED);
      const check = await verifyWriteKey(key);
      if (!check.ok) return refuse(check.status, check.message, undefined, check.status === 401 ? UNAUTHORIZED : undefined);
    }

    let calls: TrackingCall[];
    if (endpoint === 'batch') {
      const parsed = parseBatch(body.value, receivedAt);
      if (!parsed.ok) return refuse(400, 'The batch was refused; nothing of it was stored.', parsed.errors);
      calls = parsed.calls;
    } else {
      const declared = (body.value as { type?: unknown } | null)?.type;
      if (declared !== undefined && declared !== endpoint) return refuse(400, `This is the ${endpoint} endpoint; the call says type ${JSON.stringify(declared)}.`);
      const parsed = parseCall(body.value, { type: endpoint, index: 0, receivedAt });
      if (!parsed.ok) return refuse(400, 'The call was refused; nothing of it was stored.', parsed.errors);
      calls = [parsed.call];
    }

    const parsedAt = performance.now();
    const { waitedMs } = await storeCalls(calls);
    // Committed, with the profiles queued for re-evaluation: the answer does not wait for the tags,
    // which follow within moments (lib/segments/realtime.ts; the lag is measured by bench/ingest.ts).
    evaluationRequested();
    const ms = (a: number, b: number) => (b - a).toFixed(1);
    // Where the time went (read by bench/ingest.ts, and by any browser's network panel).
    const timing = `read;dur=${ms(started, parsedAt)}, wait;dur=${waitedMs.toFixed(1)}, store;dur=${ms(parsedAt + waitedMs, performance.now())}`;
    return answer(200, { success: true }, { 'Server-Timing': timing });
  } catch (error) {
    console.error('tracking request failed', error);
    return refuse(500, 'Internal error; the request can be retried.');
  }
}
