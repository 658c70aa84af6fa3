import type { z } from 'zod';
import { audit } from '../audit';
import { db } from '../db/prisma';
import { withTransaction, type Queryable } from '../db/pool';
import { ExpectedError, NotFoundError } from './errors';
import { generatePassword, hashPassword } from './password';
import { normaliseEmail } from './users';
import type { Role } from './permissions';
import { changeRoleSchema, createUserSchema, resetPasswordSchema, setActiveSchema, type CreateUserInput } from './user-schemas';

/** Who performs an admin change; recorded in the audit log. */
export interface Actor {
  id: number;
}

export interface UserSummary {
  id: number;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  mustChangePassword: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
}

const summarySelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  active: true,
  mustChangePassword: true,
  lastSignInAt: true,
  createdAt: true,
} as const;

export function listUsers(): Promise<UserSummary[]> {
  return db().user.findMany({ select: summarySelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

/**
 * Creates an account. Without a password, a one-time password is generated, returned once, and
 * must be changed at the next sign-in.
 */
export async function createUser(actor: Actor, input: CreateUserInput): Promise<{ user: UserSummary; oneTimePassword: string | null }> {
  const { email, name, role, password } = parse(createUserSchema, input);
  const oneTimePassword = password ? null : generatePassword();
  const passwordHash = await hashPassword(password ?? oneTimePassword!);
  const id = await withTransaction(async (client) => {
    // The unique index decides, so two simultaneous creations of one email cannot both succeed.
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO users (email, name, password_hash, role, must_change_password, updated_at)
       VALUES ($1, $2, $3, $4::"Role", $5, now())
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [email, name, passwordHash, role, oneTimePassword !== null],
    );
    const row = inserted.rows[0];
    if (!row) throw new ExpectedError(`A user with the email ${email} already exists.`, 409);
    await audit(
      { actorId: actor.id, action: 'user.create', entityType: 'user', entityId: row.id, details: { after: { email, name, role, active: true, oneTimePassword: oneTimePassword !== null } } },
      client,
    );
    return row.id;
  });
  return { user: await getUserSummary(id), oneTimePassword };
}

export async function changeRole(actor: Actor, userId: number, role: Role): Promise<UserSummary> {
  const input = parse(changeRoleSchema, { userId, role });
  await withTransaction(async (client) => {
    const { target, activeAdminIds } = await lockForAdminChange(client, input.userId);
    if (target.role === input.role) return;
    if (target.role === 'ADMIN' && target.active && activeAdminIds.length <= 1) {
      throw new ExpectedError('The last active admin cannot be demoted. Make another user an admin first.', 409);
    }
    await client.query(`UPDATE users SET role = $2::"Role", updated_at = now() WHERE id = $1`, [target.id, input.role]);
    await audit({ actorId: actor.id, action: 'user.role', entityType: 'user', entityId: target.id, details: { before: { role: target.role }, after: { role: input.role } } }, client);
  });
  return getUserSummary(input.userId);
}

export async function setActive(actor: Actor, userId: number, active: boolean): Promise<UserSummary> {
  const input = parse(setActiveSchema, { userId, active });
  await withTransaction(async (client) => {
    const { target, activeAdminIds } = await lockForAdminChange(client, input.userId);
    if (target.active === input.active) return;
    if (!input.active && target.role === 'ADMIN' && activeAdminIds.length <= 1) {
      throw new ExpectedError('The last active admin cannot be disabled. Make another user an admin first.', 409);
    }
    await client.query(`UPDATE users SET active = $2, updated_at = now() WHERE id = $1`, [target.id, input.active]);
    await audit(
      { actorId: actor.id, action: input.active ? 'user.enable' : 'user.disable', entityType: 'user', entityId: target.id, details: { before: { active: target.active }, after: { active: input.active } } },
      client,
    );
  });
  return getUserSummary(input.userId);
}

/** Replaces the user's password with a one-time password (returned once) that must be changed at the next sign-in. */
export async function resetPassword(actor: Actor, userId: number): Promise<{ user: UserSummary; oneTimePassword: string }> {
  const input = parse(resetPasswordSchema, { userId });
  const oneTimePassword = await withTransaction((client) => applyPasswordReset(client, input.userId, actor.id, {}));
  return { user: await getUserSummary(input.userId), oneTimePassword };
}

/**
 * The way back in for whoever runs the server (`npm run admin:reset-password`): a one-time
 * password for the account with this email, which is also re-enabled. Null when there is none.
 */
export async function resetPasswordFromCommandLine(email: string): Promise<{ email: string; role: Role; oneTimePassword: string } | null> {
  return withTransaction(async (client) => {
    const found = await client.query<{ id: number; email: string; role: Role }>(`SELECT id, email, role FROM users WHERE email = $1 FOR UPDATE`, [normaliseEmail(email)]);
    const user = found.rows[0];
    if (!user) return null;
    await client.query(`UPDATE users SET active = true WHERE id = $1`, [user.id]);
    const oneTimePassword = await applyPasswordReset(client, user.id, null, { via: 'command line', active: true });
    return { email: user.email, role: user.role, oneTimePassword };
  });
}

async function applyPasswordReset(client: Queryable, userId: number, actorId: number | null, details: object): Promise<string> {
  const oneTimePassword = generatePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const updated = await client.query(
    `UPDATE users SET password_hash = $2, must_change_password = true, sessions_valid_from = now(), updated_at = now() WHERE id = $1`,
    [userId, passwordHash],
  );
  if (updated.rowCount === 0) throw new NotFoundError('The user');
  await audit({ actorId, action: 'user.password_reset', entityType: 'user', entityId: userId, details: { after: { mustChangePassword: true, ...details } } }, client);
  return oneTimePassword;
}

interface LockedTarget {
  id: number;
  role: Role;
  active: boolean;
}

/**
 * Locks every active admin row, then the target row, for the rest of the transaction. Whoever
 * comes second waits here and then sees the first change, so "is this the last active admin?"
 * is answered on committed data: two concurrent demotions of the only two admins cannot both pass.
 * Always in the same order (admins by id, then the target) so concurrent changes cannot deadlock.
 */
async function lockForAdminChange(client: Queryable, userId: number): Promise<{ target: LockedTarget; activeAdminIds: number[] }> {
  const admins = await client.query<{ id: number }>(`SELECT id FROM users WHERE role = 'ADMIN' AND active ORDER BY id FOR UPDATE`);
  const found = await client.query<LockedTarget>(`SELECT id, role, active FROM users WHERE id = $1 FOR UPDATE`, [userId]);
  const target = found.rows[0];
  if (!target) throw new NotFoundError('The user');
  return { target, activeAdminIds: admins.rows.map((r) => r.id) };
}

async function getUserSummary(id: number): Promise<UserSummary> {
  const user = await db().user.findUnique({ where: { id }, select: summarySelect });
  if (!user) throw new NotFoundError('The user');
  return user;
}

/** Validates inside lib as well, so callers other than the server actions get the same rules. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ExpectedError(result.error.issues.map((i) => i.message).join(' '), 422);
  return result.data;
}
