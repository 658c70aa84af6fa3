'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/auth/action';
import { createApiKey, createApiKeySchema, revokeApiKey, revokeApiKeySchema, updateApiKey, updateApiKeySchema } from '@/lib/auth/api-keys';

// Each action checks 'apiKeys.manage' on the server (lib/auth/action.ts); hiding the page is not the guard.
const PATH = '/admin/api-keys';

export const createApiKeyAction = action('apiKeys.manage', createApiKeySchema, async (input, actor) => {
  const { apiKey, key } = await createApiKey(actor.id, input);
  revalidatePath(PATH);
  return { name: apiKey.name, prefix: apiKey.prefix, key };
});

export const updateApiKeyAction = action('apiKeys.manage', updateApiKeySchema, async (input, actor) => {
  const apiKey = await updateApiKey(actor.id, input);
  revalidatePath(PATH);
  return { name: apiKey.name, scopes: apiKey.scopes };
});

export const revokeApiKeyAction = action('apiKeys.manage', revokeApiKeySchema, async (input, actor) => {
  await revokeApiKey(actor.id, input);
  revalidatePath(PATH);
  return { id: input.id };
});
