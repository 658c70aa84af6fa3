import { z } from 'zod';
import { passwordWeakness } from './password-policy';

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

/** The policy without the account (length, common passwords); the email check needs the account (below and in users.ts). */
export const newPasswordSchema = z.string({ error: 'Enter a password.' }).superRefine((password, ctx) => {
  const weakness = passwordWeakness(password);
  if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
});

export const userIdSchema = z.coerce.number({ error: 'Unknown user.' }).int().positive().max(2_147_483_647, { error: 'Unknown user.' });

export const createUserSchema = z
  .object({
    email: emailSchema,
    name: nameSchema,
    role: roleSchema,
    password: newPasswordSchema.optional(),
  })
  .superRefine((v, ctx) => {
    const weakness = v.password === undefined ? null : passwordWeakness(v.password, { email: v.email });
    if (weakness) ctx.addIssue({ code: 'custom', message: weakness, path: ['password'] });
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
