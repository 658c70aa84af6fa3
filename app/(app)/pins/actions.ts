'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/auth/action';
import { pinInputSchema, pinTargetSchema } from '@/lib/segments/pin-schema';
import { pinProfile, unpinProfile } from '@/lib/segments/pins';

function revalidatePin(segmentId: number, profileId: number) {
  revalidatePath('/segments');
  revalidatePath(`/segments/${segmentId}`);
  revalidatePath(`/profiles/${profileId}`);
}

export const pinProfileAction = action('segment.pin', pinInputSchema, async ({ segmentId, profileId, mode, reason }, user) => {
  const result = await pinProfile(segmentId, profileId, mode, reason, user.id);
  revalidatePin(segmentId, profileId);
  return result;
});

export const unpinProfileAction = action('segment.pin', pinTargetSchema, async ({ segmentId, profileId }, user) => {
  const result = await unpinProfile(segmentId, profileId, user.id);
  revalidatePin(segmentId, profileId);
  return result;
});
