import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from './password';

/** Input rules for accounts, shared by the admin actions, the account page and lib/auth itself. */
export const roleSchema = z.enum(['ADMIN', 'MARKETER', 'VIEWER'], { error: 'Choose a role.' });

export const emailSchema = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter a valid email address.' }));

export const nameSchema = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, { error: 'Enter a name.' })
  .max(100, { error: 'Use at most 100 characters.' });

// bcrypt only looks at the first 72 bytes; a longer password would be silently cut.
const MAX_PASSWORD_BYTES = 72;

export const newPasswordSchema = z
  .string({ error: 'Enter a password.' })
  .min(MIN_PASSWORD_LENGTH, { error: `Use at least ${MIN_PASSWORD_LENGTH} characters.` })
  .refine((p) => new TextEncoder().encode(p).length <= MAX_PASSWORD_BYTES, { error: `Use at most ${MAX_PASSWORD_BYTES} characters.` });

export const userIdSchema = z.coerce.number({ error: 'Unknown user.' }).int().positive();

export const createUserSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
  password: newPasswordSchema.optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const changeRoleSchema = z.object({ userId: userIdSchema, role: roleSchema });
export const setActiveSchema = z.object({ userId: userIdSchema, active: z.boolean() });
export const resetPasswordSchema = z.object({ userId: userIdSchema });

export const changeOwnPasswordSchema = z
  .object({
    currentPassword: z.string().min(1, { error: 'Enter your current password.' }),
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { error: 'The two new passwords do not match.', path: ['confirmPassword'] })
  .refine((v) => v.newPassword !== v.currentPassword, { error: 'Choose a password different from the current one.', path: ['newPassword'] });
