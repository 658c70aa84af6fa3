import { db } from '../db/prisma';
import { hashPassword, verifyPassword } from './password';

// A real hash of a random string, compared against when the account does not exist, so that
// unknown emails take as long as wrong passwords.
const DUMMY_HASH = '$2b$12$wqJMos5wKz9ofhWemjppDeyfcZzGIRV0N4WsYnGR7GKpce7OkwZqa';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function verifyCredentials(email: string, password: string) {
  const user = await db().user.findUnique({
    where: { email: normaliseEmail(email) },
    omit: { passwordHash: false },
  });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || !user.active) return null;
  await db().user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * Creates the first admin on an empty user table: from ADMIN_EMAIL/ADMIN_PASSWORD when set,
 * otherwise with a generated password that the caller prints once.
 */
export async function ensureFirstAdmin(env: { email?: string; password?: string }, generate: () => string) {
  if ((await db().user.count()) > 0) return null;
  const email = normaliseEmail(env.email || 'admin@tagwise.local');
  const password = env.password || generate();
  await db().user.create({ data: { email, name: 'Administrator', role: 'ADMIN', passwordHash: await hashPassword(password) } });
  return { email, password, generated: !env.password };
}
