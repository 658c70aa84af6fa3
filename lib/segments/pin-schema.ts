import { z } from 'zod';

/** The input of a pin, shared by the server action, the domain function and the form (no server imports here). */
export const PIN_MODES = ['IN', 'OUT'] as const;
export type PinMode = (typeof PIN_MODES)[number];
export const PIN_REASON_MAX = 300;

const id = z.coerce.number().int().positive().max(2_147_483_647); // an id column is a 32-bit integer: a larger number would be a database error

export const pinTargetSchema = z.object({ segmentId: id, profileId: id });

export const pinInputSchema = pinTargetSchema.extend({
  mode: z.enum(PIN_MODES),
  reason: z
    .string()
    .trim()
    .min(1, 'Say why this profile is pinned.')
    .max(PIN_REASON_MAX, `The reason can have at most ${PIN_REASON_MAX} characters.`),
});

export type PinInput = z.infer<typeof pinInputSchema>;
