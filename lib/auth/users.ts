import { audit } from '../audit';
import { db } from '../db/prisma';
import { ExpectedError, NotFoundError } from './errors';
import { hashPassword, verifyPassword } from './password';
import { passwordWeakness } from './password-policy';
import { beginSignInAttempt, finishSignInAttempt, type AttemptSource } from './sign-in-throttle';
import { changeOwnPasswordSchema } from './user-schemas';

// A real hash of a random string, compared against when the account does not exist, so that
// unknown emails take as long as wrong passwords.
const DUMMY_HASH = '$2b$12$wqJMos5wKz9ofhWemjppDeyfcZzGIRV0N4WsYnGR7GKpce7OkwZqa';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Checks a sign-in. Null for a wrong email or password or a disabled account (one answer for all,
 * so nobody learns which); throws SignInThrottledError when there were too many failures lately.
 * Every attempt is recorded (sign-in-throttle.ts).
 */
export async function verifyCredentials(email: string, password: string, source: AttemptSource = {}, now = new Date()) {
  const normalised = normaliseEmail(email).slice(0, 320);
  const attempt = await beginSignInAttempt(normalised, source, now);
  const user = await db().user.findUnique({
    where: { email: normalised },
    omit: { passwordHash: false },
  });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || !user.active) {
    await finishSignInAttempt(attempt, 'FAILURE', user?.id ?? null, now);
    return null;
  }
  await finishSignInAttempt(attempt, 'SUCCESS', user.id, now);
  await db().user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * Creates the first admin on an empty user table: from ADMIN_EMAIL/ADMIN_PASSWORD when set,
 * otherwise with a generated password that the caller prints once.
 */
export async function ensureFirstAdmin(env: { email?: string; password?: string }, generate: () => string) {
  if ((await db().user.count()) > 0) return null;
  const email = normaliseEmail(env.email || 'admin@tagwise.local');
  const weakness = env.password ? passwordWeakness(env.password, { email }) : null;
  if (weakness) throw new ExpectedError(`ADMIN_PASSWORD is not accepted: ${weakness}`);
  const password = env.password || generate();
  // A printed, generated password is a one-time password: the admin chooses their own at first sign-in.
  await db().user.create({
    data: { email, name: 'Administrator', role: 'ADMIN', passwordHash: await hashPassword(password), mustChangePassword: !env.password },
  });
  return { email, password, generated: !env.password };
}

/** What the account page shows about the signed-in user. */
export async function getAccount(userId: number) {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, mustChangePassword: true, lastSignInAt: true, createdAt: true },
  });
  if (!user) throw new NotFoundError('Your account');
  return user;
}

/** The signed-in user replaces their password; this also clears a pending "must change password". */
export async function changeOwnPassword(userId: number, input: { currentPassword: string; newPassword: string; confirmPassword: string }) {
  const parsed = changeOwnPasswordSchema.safeParse(input);
  if (!parsed.success) throw new ExpectedError(parsed.error.issues.map((i) => i.message).join(' '), 422);
  const user = await db().user.findUnique({ where: { id: userId }, select: { id: true, email: true, active: true, passwordHash: true } });
  if (!user || !user.active) throw new NotFoundError('Your account');
  const weakness = passwordWeakness(parsed.data.newPassword, { email: user.email });
  if (weakness) throw new ExpectedError(weakness, 422);
  if (!(await verifyPassword(parsed.data.currentPassword, user.passwordHash))) throw new ExpectedError('The current password is wrong.');
  await db().user.update({
    where: { id: userId },
    // Other sessions end; the browser that changed it signs in again with the new password.
    data: { passwordHash: await hashPassword(parsed.data.newPassword), mustChangePassword: false, sessionsValidFrom: new Date() },
  });
  await audit({ actorId: userId, action: 'user.password_change', entityType: 'user', entityId: userId });
}
