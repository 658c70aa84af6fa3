import { NextResponse } from 'next/server';
import { withApiKey, type ApiKeyScope, type VerifiedApiKey } from '../auth/api-keys';
import { ExpectedError, NotFoundError } from '../auth/errors';
import { readBodyUpTo } from '../http/body';
import { describeProblems, type RuleProblem } from '../rules/parse';
import { RuleValidationError } from '../segments/definition';

/**
 * Shared plumbing of the REST API under /api/v1: bearer-key checks, JSON bodies, and errors as
 * `{error}` (plus `problems` for rules that do not parse) with a 4xx status. Only a fault of ours
 * is a 500, and its details stay in the server log.
 */

/** Bodies of the JSON endpoints are small (a segment's rules); anything larger is refused unread. */
export const JSON_BODY_MAX_BYTES = 1024 * 1024;

const NO_STORE = { 'Cache-Control': 'no-store' };

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return NextResponse.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function apiErrorResponse(error: unknown): Response {
  if (error instanceof RuleValidationError || error instanceof ValidationProblemsError) return jsonResponse({ error: error.message, problems: error.problems }, 422);
  if (error instanceof ApiConflictError) return jsonResponse({ error: error.message, ...error.extra }, 409);
  if (error instanceof ExpectedError) return jsonResponse({ error: error.message }, error.status);
  console.error('api route failed', error);
  return jsonResponse({ error: 'Internal error' }, 500);
}

/** A 422 listing every problem of a definition with its path (name, description, rules…). */
export class ValidationProblemsError extends ExpectedError {
  constructor(
    what: string,
    readonly problems: RuleProblem[],
  ) {
    super(`${what} cannot be saved: ${describeProblems(problems)}.`, 422);
  }
}

/** A 409 that also says what it conflicts with (e.g. the run in progress). */
export class ApiConflictError extends ExpectedError {
  constructor(
    message: string,
    readonly extra: Record<string, unknown>,
  ) {
    super(message, 409);
  }
}

/** A route handler for machine clients: the key must hold `scope`; errors become JSON 4xx answers. */
export function apiRoute<C>(scope: ApiKeyScope, handler: (request: Request, key: VerifiedApiKey, context: C) => Promise<Response>) {
  return withApiKey<C>(scope, async (request, key, context) => {
    try {
      return await handler(request, key, context);
    } catch (error) {
      return apiErrorResponse(error);
    }
  });
}

/** What audit entries of changes made through the API carry instead of a user. */
export function keyAuditDetails(key: VerifiedApiKey): Record<string, unknown> {
  return { apiKeyId: key.id, apiKeyPrefix: key.prefix, via: 'api' };
}

/** The request's JSON object body: 415 when it is not JSON, 413 when too large, 400 when malformed or not an object. */
export async function readJsonObject(request: Request, limit = JSON_BODY_MAX_BYTES): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (type && !/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new ExpectedError('Send the body as JSON (Content-Type: application/json).', 415);
  }
  const bytes = await readBodyUpTo(request, limit);
  if (!bytes) throw tooLarge(limit);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ExpectedError('The body is not valid JSON.', 400);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ExpectedError('The body must be a JSON object.', 400);
  return body as Record<string, unknown>;
}

function tooLarge(limit: number): ExpectedError {
  return new ExpectedError(`The body is larger than ${Math.round(limit / 1024)} KB.`, 413);
}

/** A positive 32-bit id from a path segment, or a 404 (an id that cannot exist names nothing). */
export function pathId(segment: string, what: string): number {
  if (!/^[1-9]\d{0,9}$/.test(segment) || Number(segment) > 2_147_483_647) throw new NotFoundError(what);
  return Number(segment);
}

/** Refuses body properties the endpoint does not know (a typo such as "rule" would otherwise be ignored). */
export function rejectUnknownProperties(body: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new ExpectedError(`Unknown propert${unknown.length === 1 ? 'y' : 'ies'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected ${known.join(', ')}.`, 400);
  }
}
