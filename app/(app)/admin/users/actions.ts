'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/auth/action';
import { changeRole, createUser, resetPassword, setActive } from '@/lib/auth/user-admin';
import { changeRoleSchema, createUserSchema, resetPasswordSchema, setActiveSchema } from '@/lib/auth/user-schemas';

// Each action checks 'users.manage' on the server (lib/auth/action.ts); hiding the page is not the guard.
const USERS_PATH = '/admin/users';

export const createUserAction = action('users.manage', createUserSchema, async (input, actor) => {
  const { user, oneTimePassword } = await createUser(actor, input);
  revalidatePath(USERS_PATH);
  return { email: user.email, oneTimePassword };
});

export const changeRoleAction = action('users.manage', changeRoleSchema, async ({ userId, role }, actor) => {
  const user = await changeRole(actor, userId, role);
  revalidatePath(USERS_PATH);
  return { role: user.role };
});

export const setActiveAction = action('users.manage', setActiveSchema, async ({ userId, active }, actor) => {
  const user = await setActive(actor, userId, active);
  revalidatePath(USERS_PATH);
  return { active: user.active };
});

export const resetPasswordAction = action('users.manage', resetPasswordSchema, async ({ userId }, actor) => {
  const { user, oneTimePassword } = await resetPassword(actor, userId);
  revalidatePath(USERS_PATH);
  return { email: user.email, oneTimePassword };
});
