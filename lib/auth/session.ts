import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from '../db/prisma';
import { ForbiddenError, UnauthenticatedError } from './errors';
import { authOptions } from './options';
import { accessDenial, can, type Permission, type Role } from './permissions';
import { isPasswordChangePath, PASSWORD_CHANGE_PATH, PATHNAME_HEADER } from './request-path';

export interface CurrentUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** Set after an admin created the account or reset its password: the user must choose their own first. */
  mustChangePassword: boolean;
}

/** The signed-in, active user, read fresh from the database (so disabling or demoting applies at once). */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions);
  const sessionUser = session?.user as { id?: string; authTime?: number } | undefined;
  const id = Number(sessionUser?.id);
  if (!Number.isInteger(id) || id <= 0) return null;
  const user = await db().user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, active: true, mustChangePassword: true, sessionsValidFrom: true },
  });
  if (!user || !user.active) return null;
  // A password change or reset voids the sessions signed in before it.
  if (user.sessionsValidFrom && !(Number(sessionUser?.authTime) >= user.sessionsValidFrom.getTime())) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, mustChangePassword: user.mustChangePassword };
}

/** For server actions and route handlers: throws 401/403 errors. */
export async function authorize(permission: Permission): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new UnauthenticatedError();
  const denial = accessDenial(user, permission);
  if (denial) throw new ForbiddenError(denial);
  return user;
}

/** For pages: redirects to sign-in, to the account page while a password change is pending, or to the not-allowed page. */
export async function requirePagePermission(permission: Permission = 'app.view'): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/signin');
  if (user.mustChangePassword) {
    // Without the proxy's header we cannot tell which page this is; do not risk a redirect loop.
    const pathname = (await headers()).get(PATHNAME_HEADER);
    if (pathname !== null && !isPasswordChangePath(pathname)) redirect(`${PASSWORD_CHANGE_PATH}?required=1`);
  }
  if (!can(user.role, permission)) redirect('/forbidden');
  return user;
}
