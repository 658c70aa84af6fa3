'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/lib/auth/action';
import { audienceInputSchema } from '@/lib/audiences/definition';
import { deleteVersion } from '@/lib/audiences/delete-version';
import { freezeAudience } from '@/lib/audiences/freeze';
import { createAudience, updateAudience } from '@/lib/audiences/service';

// Each action checks its permission on the server (lib/auth/action.ts); hidden buttons are not the guard.
const audienceId = z.number().int().positive().max(2_147_483_647); // a 32-bit id column

export const createAudienceAction = action('audience.edit', audienceInputSchema, async (input, user) => {
  const created = await createAudience(input, user.id);
  revalidatePath('/audiences');
  return created;
});

export const updateAudienceAction = action('audience.edit', audienceInputSchema.extend({ id: audienceId }), async ({ id, ...input }, user) => {
  await updateAudience(id, input, user.id);
  revalidatePath('/audiences');
  revalidatePath(`/audiences/${id}`);
  return { id };
});

export const freezeAudienceAction = action('audience.freeze', z.object({ audienceId }), async ({ audienceId: id }, user) => {
  const version = await freezeAudience(id, user.id);
  revalidatePath('/audiences');
  revalidatePath(`/audiences/${id}`);
  return { number: version.number, rowCount: version.rowCount };
});

export const deleteVersionAction = action(
  'audience.version.delete',
  z.object({ audienceId, number: z.number().int().positive().max(2_147_483_647) }),
  async ({ audienceId: id, number }, user) => {
    await deleteVersion(id, number, user.id);
    revalidatePath('/audiences');
    revalidatePath(`/audiences/${id}`);
    return { number };
  },
);
