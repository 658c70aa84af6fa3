'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/lib/auth/action';
import { TRAIT_KEY_PATTERN } from '@/lib/rules/fields';
import { defineTrait, deleteTrait, traitInputSchema, updateTrait } from '@/lib/traits/registry';

// The builder pages read the registry on every request; only the Traits page needs refreshing.
const revalidateTraits = () => revalidatePath('/traits');

export const defineTraitAction = action('traits.manage', traitInputSchema, async (input, user) => {
  const trait = await defineTrait(input, user.id);
  revalidateTraits();
  return trait;
});

/** Relabels a trait, or changes its type (refused by the registry while rules use it). */
export const updateTraitAction = action('traits.manage', traitInputSchema, async (input, user) => {
  const trait = await updateTrait(input, user.id);
  revalidateTraits();
  return trait;
});

export const deleteTraitAction = action('traits.manage', z.object({ key: z.string().regex(TRAIT_KEY_PATTERN, 'Not a trait key.') }), async ({ key }, user) => {
  await deleteTrait(key, user.id);
  revalidateTraits();
  return { key };
});
