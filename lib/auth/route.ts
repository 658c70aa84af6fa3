import { NextResponse } from 'next/server';
import { ExpectedError } from './errors';
import type { Permission } from './permissions';
import { authorize, type CurrentUser } from './session';

/** Wraps a route handler: checks the permission and maps expected errors to their status, others to a bare 500. */
export function withPermission<C>(permission: Permission, handler: (request: Request, user: CurrentUser, context: C) => Promise<Response>) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      const user = await authorize(permission);
      return await handler(request, user, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ExpectedError) return NextResponse.json({ error: error.message }, { status: error.status });
  console.error('route failed', error);
  return NextResponse.json({ error: 'Internal error' }, { status: 500 });
}
