import { NextResponse } from 'next/server';
import { readBodyUpTo } from '../http/body';
import { ExpectedError } from './errors';
import type { Permission } from './permissions';
import { requestContextFrom, withRequestContext } from './request-context';
import { authorize, type CurrentUser } from './session';

import { declareRouteAccess } from './route-access';
export { declareRouteAccess, declaredRouteAccess, type RouteAccess } from './route-access';

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
  const bytes = await readBodyUpTo(request, maxBytes);
  if (!bytes) throw new ExpectedError(`The request body is too large (at most ${Math.round(maxBytes / 1024)} KB).`, 413);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ExpectedError('The request body must be JSON.', 400);
  }
}
