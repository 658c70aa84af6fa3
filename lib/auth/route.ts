import { NextResponse } from 'next/server';
import { ExpectedError } from './errors';
import type { Permission } from './permissions';
import { requestContextFrom, withRequestContext } from './request-context';
import { authorize, type CurrentUser } from './session';

/**
 * How a route handler decides who may call it. Every exported handler declares one (the
 * permission walk test, app/permission-walk.db.test.ts, refuses a handler without).
 */
export type RouteAccess =
  | { kind: 'permission'; permission: Permission }
  /** Open to anyone: say why. */
  | { kind: 'public'; reason: string }
  /** A shared secret in the Authorization header (named by its environment variable). */
  | { kind: 'secret'; env: string }
  /** An API key with this scope (lib/auth/api-keys.ts); sessions play no part. */
  | { kind: 'apiKey'; scope: string };

const ROUTE_ACCESS = Symbol.for('tagwise.route.access');

export function declareRouteAccess<H extends (...args: never[]) => Promise<Response>>(access: RouteAccess, handler: H): H {
  Object.defineProperty(handler, ROUTE_ACCESS, { value: access });
  return handler;
}

export function declaredRouteAccess(handler: unknown): RouteAccess | undefined {
  return typeof handler === 'function' ? (handler as unknown as Record<symbol, RouteAccess | undefined>)[ROUTE_ACCESS] : undefined;
}

/** Wraps a route handler: checks the permission and maps expected errors to their status, others to a bare 500. */
export function withPermission<C>(permission: Permission, handler: (request: Request, user: CurrentUser, context: C) => Promise<Response>) {
  return declareRouteAccess({ kind: 'permission', permission }, async (request: Request, context: C): Promise<Response> => {
    try {
      const user = await authorize(permission);
      return await withRequestContext(requestContextFrom(request.headers), () => handler(request, user, context));
    } catch (error) {
      return errorResponse(error);
    }
  });
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ExpectedError) return NextResponse.json({ error: error.message }, { status: error.status });
  console.error('route failed', error);
  return NextResponse.json({ error: 'Internal error' }, { status: 500 });
}

/** Largest JSON body a route reads (rules and column lists are a few kilobytes). */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

/**
 * Reads a JSON body with a size limit: 413 when larger (judged by Content-Length and by the bytes
 * actually read, so a missing or lying header does not help), 400 when it is not JSON.
 */
export async function readJsonBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const tooLarge = () => new ExpectedError(`The request body is too large (at most ${Math.round(maxBytes / 1024)} KB).`, 413);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) throw new ExpectedError('The request body must be JSON.', 400);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ExpectedError('The request body must be JSON.', 400);
  }
}
