'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/auth/action';
import { changeOwnPasswordSchema } from '@/lib/auth/user-schemas';
import { changeOwnPassword } from '@/lib/auth/users';

// Any signed-in, active user may change their own password (also while a one-time password is pending); the current one is checked in lib.
export const changeOwnPasswordAction = action('account.password', changeOwnPasswordSchema, async (input, user) => {
  await changeOwnPassword(user.id, input);
  revalidatePath('/', 'layout');
});
