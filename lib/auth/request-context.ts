import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Where the current request comes from, for the audit log and the sign-in records. The action()
 * and withPermission() wrappers set it, so lib code deep below them need not pass it along.
 */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function withRequestContext<T>(context: RequestContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | null {
  return storage.getStore() ?? null;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | null {
  if (source instanceof Headers) return source.get(name);
  const value = source[name] ?? source[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : (value ?? null);
}

/**
 * The client's address: the last X-Forwarded-For entry. Next's server fills the header with the
 * socket address when the client sent none; a reverse proxy (nginx, Caddy, a load balancer) appends
 * the address it saw. Exposed directly to the internet without one, a client could put any
 * address there: the per-address sign-in limit then slows such a client less, the per-account
 * limit holds regardless.
 */
export function clientAddress(source: HeaderSource): string | null {
  const forwarded = header(source, 'x-forwarded-for');
  const last = forwarded?.split(',').at(-1)?.trim();
  if (!last) return null;
  return last.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '').slice(0, 64);
}

export function requestContextFrom(source: HeaderSource): RequestContext {
  return { ip: clientAddress(source), userAgent: header(source, 'user-agent')?.slice(0, 300) ?? null };
}
