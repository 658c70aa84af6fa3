// Kept apart from route.ts so that modules used by scripts (api-keys.ts) need not load the session code.
import type { Permission } from './permissions';

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
