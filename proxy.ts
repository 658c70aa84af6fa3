import { NextResponse, type NextRequest } from 'next/server';
import { PATHNAME_HEADER } from './lib/auth/request-path';

/** Only passes the pathname on to server components (see lib/auth/request-path.ts); authorisation happens in pages and actions. */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(PATHNAME_HEADER, request.nextUrl.pathname); // overwrites anything a client sent
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico).*)'],
};
