/**
 * The Content-Security-Policy of every page, built per request in proxy.ts around a fresh nonce.
 * Kept free of server imports so the proxy bundle stays small.
 *
 * - Scripts: only those carrying this request's nonce (Next puts it on its own scripts when it finds
 *   the policy on the request), plus what they load ('strict-dynamic': Next loads its chunks from
 *   script tags it creates). No 'unsafe-inline', no host allowlist; 'unsafe-eval' only in `next dev`,
 *   whose React tooling evaluates code.
 * - Style elements and stylesheets: our own files and nonce-carrying <style> only.
 * - Style attributes (style-src-attr 'unsafe-inline'): React renders style props as attributes in
 *   the server HTML (chart sizes, recharts' own layout), and the browser would drop those before
 *   hydration. A style attribute cannot run script or load anything outside img-src/font-src,
 *   which stay same-origin.
 * - Nothing may frame the app (frame-ancestors 'none'), no plugins, no <base> rewriting, forms post
 *   only to the app itself, and fetches go only to the app itself.
 */
export function contentSecurityPolicy({ nonce, dev = false }: { nonce: string; dev?: boolean }): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", `'nonce-${nonce}'`],
    'style-src-attr': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** A nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
