import type { z } from 'zod';
import { ExpectedError } from './errors';
import type { Permission } from './permissions';
import { authorize, type CurrentUser } from './session';

export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

/**
 * The shape of every server action: validate the input with zod, check the permission on the
 * server, run the domain function. Expected errors reach the user; anything else is logged and
 * reported generically, so internals never leak into the browser.
 */
export function action<S extends z.ZodType, T>(
  permission: Permission,
  schema: S,
  run: (input: z.infer<S>, user: CurrentUser) => Promise<T>,
): (input: unknown) => Promise<ActionResult<T>> {
  return async (input: unknown) => {
    try {
      const user = await authorize(permission);
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        const fieldErrors: Record<string, string[]> = {};
        for (const issue of parsed.error.issues) {
          const key = issue.path.join('.') || '_';
          (fieldErrors[key] ??= []).push(issue.message);
        }
        return { ok: false, error: 'Please correct the highlighted fields.', fieldErrors };
      }
      return { ok: true, data: await run(parsed.data, user) };
    } catch (error) {
      if (error instanceof ExpectedError) return { ok: false, error: error.message };
      // redirect() and notFound() work by throwing; let Next handle them.
      if (error && typeof error === 'object' && 'digest' in error) throw error;
      console.error('server action failed', error);
      return { ok: false, error: 'Something went wrong on the server. Please try again.' };
    }
  };
}
