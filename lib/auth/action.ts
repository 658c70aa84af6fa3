import { headers } from 'next/headers';
import type { z } from 'zod';
import { ExpectedError } from './errors';
import type { Permission } from './permissions';
import { requestContextFrom, withRequestContext, type RequestContext } from './request-context';
import { authorize, type CurrentUser } from './session';

export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; error: string; /** HTTP-like: 401 signed out, 403 not allowed, 4xx bad input, 500 our fault. */ status: number; fieldErrors?: Record<string, string[]> };

/** Marks a function made by action() with its permission, so the permission walk test can read it. */
const ACTION_PERMISSION = Symbol.for('tagwise.action.permission');

/** The permission an exported server action declared through action(); undefined for anything else. */
export function declaredPermission(fn: unknown): Permission | undefined {
  return typeof fn === 'function' ? (fn as unknown as Record<symbol, Permission | undefined>)[ACTION_PERMISSION] : undefined;
}

/**
 * The shape of every server action: validate the input with zod, check the permission on the
 * server, run the domain function. Expected errors reach the user; anything else is logged and
 * reported generically, so internals never leak into the browser.
 */
export function action<S extends z.ZodType, T>(
  permission: Permission,
  schema: S,
  run: (input: z.infer<S>, user: CurrentUser) => Promise<T>,
): (input: unknown) => Promise<ActionResult<T>> {
  const serverAction = async (input: unknown): Promise<ActionResult<T>> => {
    try {
      const user = await authorize(permission);
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        const fieldErrors: Record<string, string[]> = {};
        for (const issue of parsed.error.issues) {
          const key = issue.path.join('.') || '_';
          (fieldErrors[key] ??= []).push(issue.message);
        }
        return { ok: false, error: 'Please correct the highlighted fields.', status: 422, fieldErrors };
      }
      const data = await withRequestContext(await requestContext(), () => run(parsed.data, user));
      return { ok: true, data };
    } catch (error) {
      if (error instanceof ExpectedError) return { ok: false, error: error.message, status: error.status };
      // redirect() and notFound() work by throwing; let Next handle them.
      if (error && typeof error === 'object' && 'digest' in error) throw error;
      console.error('server action failed', error);
      return { ok: false, error: 'Something went wrong on the server. Please try again.', status: 500 };
    }
  };
  Object.defineProperty(serverAction, ACTION_PERMISSION, { value: permission });
  return serverAction;
}

/** The calling client's address and agent, for the audit log; none outside a request. */
export async function requestContext(): Promise<RequestContext> {
  try {
    return requestContextFrom(await headers());
  } catch {
    return { ip: null, userAgent: null };
  }
}
