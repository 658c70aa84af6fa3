import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';
import { declareRouteAccess } from '@/lib/auth/route';

const handler = NextAuth(authOptions) as (request: Request, context: unknown) => Promise<Response>;
const access = { kind: 'public', reason: 'sign-in itself (next-auth checks its own CSRF token on every POST)' } as const;
export const GET = declareRouteAccess(access, (request: Request, context: unknown) => handler(request, context));
export const POST = declareRouteAccess(access, (request: Request, context: unknown) => handler(request, context));
