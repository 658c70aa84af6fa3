'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/lib/auth/action';
import { setWorkspaceTimeZone } from '@/lib/settings/time-zone';

export const setTimeZoneAction = action('settings.manage', z.object({ timeZone: z.string().min(1).max(64) }), async ({ timeZone }, actor) => {
  await setWorkspaceTimeZone(timeZone, actor.id);
  revalidatePath('/', 'layout');
  return { timeZone };
});
