import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { resetTables, useTestDatabase } from '../test/database';
import { MIN_PASSWORD_LENGTH } from './password';
import { changeRole, createUser, listUsers, resetPassword, resetPasswordFromCommandLine, setActive, type Actor } from './user-admin';
import { changeOwnPassword, ensureFirstAdmin, verifyCredentials } from './users';

useTestDatabase();

let root: Actor;

beforeEach(async () => {
  await resetTables('DELETE FROM audit_log; DELETE FROM sign_in_attempts; DELETE FROM users');
  await ensureFirstAdmin({ email: 'root@example.com', password: 'root-password-1' }, () => 'unused');
  const { rows } = await getPool().query<{ id: number }>(`SELECT id FROM users WHERE email = 'root@example.com'`);
  root = { id: rows[0]!.id };
});

async function auditRows() {
  const { rows } = await getPool().query<{ actor_id: number | null; action: string; entity_id: string; details: Record<string, unknown> }>(
    `SELECT actor_id, action, entity_id, details FROM audit_log ORDER BY id`,
  );
  return rows;
}

describe('createUser', () => {
  it('creates a user with a one-time password that signs in and must be changed', async () => {
    const { user, oneTimePassword } = await createUser(root, { email: '  Mia@Example.com ', name: 'Mia', role: 'MARKETER' });
    expect(user).toMatchObject({ email: 'mia@example.com', name: 'Mia', role: 'MARKETER', active: true, mustChangePassword: true });
    expect(oneTimePassword).toHaveLength(20);
    expect(await verifyCredentials('mia@example.com', oneTimePassword!)).toMatchObject({ id: user.id, role: 'MARKETER' });

    const [entry] = await auditRows();
    expect(entry).toMatchObject({ actor_id: root.id, action: 'user.create', entity_id: String(user.id) });
    expect(JSON.stringify(entry)).not.toContain(oneTimePassword!);
    expect(JSON.stringify(entry)).not.toMatch(/\$2[aby]\$/); // no bcrypt hash either
  });

  it('keeps a given password and does not ask to change it', async () => {
    const { user, oneTimePassword } = await createUser(root, { email: 'vic@example.com', name: 'Vic', role: 'VIEWER', password: 'viewer-password-1' });
    expect(oneTimePassword).toBeNull();
    expect(user.mustChangePassword).toBe(false);
    expect(await verifyCredentials('vic@example.com', 'viewer-password-1')).not.toBeNull();
  });

  it('refuses a duplicate email, whatever its case, with a clear message', async () => {
    await createUser(root, { email: 'dup@example.com', name: 'One', role: 'VIEWER' });
    await expect(createUser(root, { email: 'DUP@example.com', name: 'Two', role: 'VIEWER' })).rejects.toThrow(
      'A user with the email dup@example.com already exists.',
    );
    expect((await listUsers()).filter((u) => u.email === 'dup@example.com')).toHaveLength(1);
  });

  it('refuses two simultaneous creations of one email except one', async () => {
    const results = await Promise.allSettled([1, 2].map((n) => createUser(root, { email: 'race@example.com', name: `Racer ${n}`, role: 'VIEWER' })));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('validates email, name and password length', async () => {
    await expect(createUser(root, { email: 'not-an-email', name: 'X', role: 'VIEWER' })).rejects.toThrow('Enter a valid email address.');
    await expect(createUser(root, { email: 'a@example.com', name: '   ', role: 'VIEWER' })).rejects.toThrow('Enter a name.');
    await expect(createUser(root, { email: 'a@example.com', name: 'x'.repeat(101), role: 'VIEWER' })).rejects.toThrow('at most 100');
    await expect(createUser(root, { email: 'a@example.com', name: 'A', role: 'VIEWER', password: 'x'.repeat(MIN_PASSWORD_LENGTH - 1) })).rejects.toThrow(
      `at least ${MIN_PASSWORD_LENGTH}`,
    );
    await expect(createUser(root, { email: 'a@example.com', name: 'A', role: 'OWNER' as 'ADMIN' })).rejects.toThrow('Choose a role.');
    expect(await listUsers()).toHaveLength(1);
  });
});

describe('roles and the last active admin', () => {
  it('changes a role and records before and after', async () => {
    const { user } = await createUser(root, { email: 'm@example.com', name: 'M', role: 'MARKETER' });
    expect(await changeRole(root, user.id, 'VIEWER')).toMatchObject({ role: 'VIEWER' });
    expect((await auditRows()).at(-1)).toMatchObject({ action: 'user.role', details: { before: { role: 'MARKETER' }, after: { role: 'VIEWER' } } });
  });

  it('never demotes or disables the last active admin, not even oneself', async () => {
    await expect(changeRole(root, root.id, 'MARKETER')).rejects.toThrow('The last active admin cannot be demoted');
    await expect(setActive(root, root.id, false)).rejects.toThrow('The last active admin cannot be disabled');
    expect(await listUsers()).toEqual([expect.objectContaining({ id: root.id, role: 'ADMIN', active: true })]);
  });

  it('counts only active admins: a disabled second admin does not make the first removable', async () => {
    const { user: other } = await createUser(root, { email: 'a2@example.com', name: 'A2', role: 'ADMIN' });
    await setActive(root, other.id, false);
    await expect(changeRole(root, root.id, 'VIEWER')).rejects.toThrow('last active admin');
    // With the second admin active again, the first may step down.
    await setActive(root, other.id, true);
    expect(await changeRole(root, root.id, 'VIEWER')).toMatchObject({ role: 'VIEWER' });
  });

  it('lets only one of two concurrent demotions of the only two admins succeed', async () => {
    const { user: second } = await createUser(root, { email: 'a2@example.com', name: 'A2', role: 'ADMIN' });
    const results = await Promise.allSettled([changeRole(root, root.id, 'MARKETER'), changeRole(second, second.id, 'VIEWER')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(String(rejected?.reason)).toContain('The last active admin cannot be demoted');
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM users WHERE role = 'ADMIN' AND active`);
    expect(rows[0].n).toBe(1);
  });

  it('lets only one of a concurrent demotion and disabling of the only two admins succeed', async () => {
    const { user: second } = await createUser(root, { email: 'a2@example.com', name: 'A2', role: 'ADMIN' });
    const results = await Promise.allSettled([setActive(second, root.id, false), changeRole(root, second.id, 'MARKETER')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM users WHERE role = 'ADMIN' AND active`);
    expect(rows[0].n).toBe(1);
  });

  it('reports an unknown user as not found', async () => {
    await expect(changeRole(root, 999_999, 'VIEWER')).rejects.toThrow('The user was not found.');
    await expect(setActive(root, 999_999, false)).rejects.toThrow('The user was not found.');
    await expect(resetPassword(root, 999_999)).rejects.toThrow('The user was not found.');
  });
});

describe('disabling and passwords', () => {
  it('a disabled user cannot sign in; enabling restores it', async () => {
    const { user } = await createUser(root, { email: 'd@example.com', name: 'D', role: 'VIEWER', password: 'viewer-password-1' });
    expect(await setActive(root, user.id, false)).toMatchObject({ active: false });
    expect(await verifyCredentials('d@example.com', 'viewer-password-1')).toBeNull();
    await setActive(root, user.id, true);
    expect(await verifyCredentials('d@example.com', 'viewer-password-1')).not.toBeNull();
    expect((await auditRows()).slice(-2).map((r) => r.action)).toEqual(['user.disable', 'user.enable']);
  });

  it('resetting gives a new one-time password; the old one stops working; changing it clears the flag', async () => {
    const { user } = await createUser(root, { email: 'r@example.com', name: 'R', role: 'VIEWER', password: 'viewer-password-1' });
    const beforeReset = Date.now();
    const { oneTimePassword, user: after } = await resetPassword(root, user.id);
    expect(after.mustChangePassword).toBe(true);
    const sessionsFrom = async () => (await getPool().query(`SELECT sessions_valid_from FROM users WHERE id = $1`, [user.id])).rows[0].sessions_valid_from as Date;
    // Sessions signed in before the reset are void (lib/auth/session.ts compares their sign-in time).
    expect((await sessionsFrom()).getTime()).toBeGreaterThanOrEqual(beforeReset - 1000);
    expect(await verifyCredentials('r@example.com', 'viewer-password-1')).toBeNull();
    expect(await verifyCredentials('r@example.com', oneTimePassword)).toMatchObject({ id: user.id });
    expect(JSON.stringify(await auditRows())).not.toContain(oneTimePassword);

    await expect(changeOwnPassword(user.id, { currentPassword: 'wrong-password', newPassword: 'my-own-password', confirmPassword: 'my-own-password' })).rejects.toThrow(
      'The current password is wrong.',
    );
    await expect(changeOwnPassword(user.id, { currentPassword: oneTimePassword, newPassword: 'my-own-password', confirmPassword: 'my-own-passwort' })).rejects.toThrow(
      'do not match',
    );
    const resetAt = await sessionsFrom();
    await changeOwnPassword(user.id, { currentPassword: oneTimePassword, newPassword: 'my-own-password', confirmPassword: 'my-own-password' });
    expect((await sessionsFrom()).getTime()).toBeGreaterThanOrEqual(resetAt.getTime());
    expect(await verifyCredentials('r@example.com', 'my-own-password')).not.toBeNull();
    expect(await verifyCredentials('r@example.com', oneTimePassword)).toBeNull();
    expect((await listUsers()).find((u) => u.id === user.id)?.mustChangePassword).toBe(false);
    expect((await auditRows()).at(-1)).toMatchObject({ actor_id: user.id, action: 'user.password_change' });
  });

  it('a generated first-admin password must be changed at first sign-in; a configured one need not', async () => {
    expect((await listUsers())[0]).toMatchObject({ id: root.id, mustChangePassword: false }); // from ADMIN_PASSWORD
    await resetTables('DELETE FROM audit_log; DELETE FROM sign_in_attempts; DELETE FROM users');
    const created = await ensureFirstAdmin({}, () => 'generated-password-1');
    expect(created).toMatchObject({ generated: true, password: 'generated-password-1' });
    expect((await listUsers())[0]).toMatchObject({ role: 'ADMIN', mustChangePassword: true });
    expect(await ensureFirstAdmin({}, () => 'another-password-1')).toBeNull();
  });
});

describe('the command-line way back in', () => {
  it('gives a disabled account a one-time password and re-enables it; unknown emails change nothing', async () => {
    const { user } = await createUser(root, { email: 'Lost@Example.com', name: 'Lost', role: 'ADMIN', password: 'forgotten-password' });
    await setActive(root, user.id, false);
    const result = await resetPasswordFromCommandLine('  lost@example.COM ');
    expect(result).toMatchObject({ email: 'lost@example.com', role: 'ADMIN' });
    expect(await verifyCredentials('lost@example.com', 'forgotten-password')).toBeNull();
    expect(await verifyCredentials('lost@example.com', result!.oneTimePassword)).toMatchObject({ id: user.id });
    expect(await resetPasswordFromCommandLine('nobody@example.com')).toBeNull();
  });
});
