import { NextResponse, type NextRequest } from 'next/server';
import { PATHNAME_HEADER } from './lib/auth/request-path';
import { contentSecurityPolicy, newNonce } from './lib/http/content-security-policy';
import { isCrossSiteWrite } from './lib/http/cross-site';

/**
 * For every page: a fresh CSP nonce (the policy goes on the request, where Next reads the nonce for
 * its own scripts, and on the response, where the browser enforces it), and the pathname for
 * server components (see lib/auth/request-path.ts); cross-site posts are refused (lib/http/cross-site.ts).
 * Authorisation happens in pages and actions.
 */
export function proxy(request: NextRequest) {
  // Server actions are POSTs to page URLs: one from another site is refused before it reaches Next.
  if (isCrossSiteWrite(request)) {
    return new NextResponse('Cross-site request refused.', { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const nonce = newNonce();
  const policy = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set(PATHNAME_HEADER, request.nextUrl.pathname); // overwrites anything a client sent
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico).*)'],
};
