'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/lib/auth/action';
import { segmentInputSchema } from '@/lib/segments/definition';
import { createSegment, evaluateAllSegments, setSegmentStatus, updateSegment } from '@/lib/segments/service';

const idSchema = z.coerce.number().int().positive().max(2_147_483_647); // an id column is a 32-bit integer: a larger number would be a database error

function revalidateSegment(id?: number) {
  revalidatePath('/segments');
  revalidatePath('/runs');
  if (id) revalidatePath(`/segments/${id}`);
}

export const createSegmentAction = action('segment.edit', segmentInputSchema, async (input, user) => {
  const result = await createSegment(input, user.id);
  revalidateSegment(result.id);
  return result;
});

export const updateSegmentAction = action('segment.edit', segmentInputSchema.extend({ id: idSchema }), async ({ id, ...input }, user) => {
  const result = await updateSegment(id, input, user.id);
  revalidateSegment(id);
  return result;
});

export const setSegmentStatusAction = action(
  'segment.edit',
  z.object({ id: idSchema, status: z.enum(['ACTIVE', 'PAUSED']) }),
  async ({ id, status }, user) => {
    const result = await setSegmentStatus(id, status, user.id);
    revalidateSegment(id);
    return result;
  },
);

export type EvaluationSummary =
  | { status: 'completed'; runId: number; segments: number; entered: number; left: number; failed: number; ms: number }
  | { status: 'busy'; runId: number | null; startedAt: string | null };

/** "Run evaluation now": every active segment in one MANUAL run; `busy` when another run is in progress. */
export const runEvaluationAction = action('segment.evaluate', z.object({}).strict(), async (_input, user): Promise<EvaluationSummary> => {
  const result = await evaluateAllSegments(user.id);
  if (result.status === 'busy') return { status: 'busy', runId: result.runId, startedAt: result.startedAt };
  revalidateSegment();
  return {
    status: 'completed',
    runId: result.runId,
    segments: result.segments.length,
    entered: result.segments.reduce((n, s) => n + s.entered, 0),
    left: result.segments.reduce((n, s) => n + s.left, 0),
    failed: result.segments.filter((s) => s.error).length,
    ms: result.ms,
  };
});
