import type { VerifiedApiKey } from '../auth/api-keys';
import { parseRules, type RuleProblem } from '../rules/parse';
import { segmentInputSchema, type SegmentInput } from '../segments/definition';
import { loadFieldCatalog } from '../traits/registry';
import { createSegment, deleteSegment, evaluateAllSegments, setSegmentStatus, updateSegment, type EvaluationOutcome } from '../segments/service';
import { ApiConflictError, keyAuditDetails, ValidationProblemsError } from './http';
import { getApiSegment, type ApiSegmentDetail, type CreateSegmentBody, type UpdateSegmentBody } from './segments';

/**
 * Segment changes made with an API key: the same service calls as the builder's save (same
 * validation, audit entries, immediate re-evaluation), with no user and the key in the audit details.
 */
export type ApiSegmentWrite = ApiSegmentDetail & { evaluation: EvaluationOutcome };

/**
 * The checks of the builder's save (its zod schema for name and description, then parseRules with
 * the field catalogue), reported together: every problem with its path (`name`, `rules.rules[0]`…).
 * The service checks again when it saves; this only makes the API's 422 complete.
 */
export async function assertValidDefinition(input: SegmentInput): Promise<void> {
  const problems: RuleProblem[] = [];
  const shape = segmentInputSchema.safeParse(input);
  if (!shape.success) {
    for (const issue of shape.error.issues) if (issue.path[0] !== 'rules') problems.push({ path: issue.path.join('.'), message: issue.message });
  }
  const rules = parseRules(input.rules, await loadFieldCatalog());
  if (!rules.ok) problems.push(...rules.problems);
  if (problems.length) throw new ValidationProblemsError('The segment', problems);
}

export async function createSegmentByKey(body: CreateSegmentBody, key: VerifiedApiKey): Promise<ApiSegmentWrite> {
  await assertValidDefinition(body);
  const saved = await createSegment(body, null, { auditDetails: keyAuditDetails(key) });
  return { ...(await getApiSegment(saved.id)), evaluation: saved.evaluation };
}

/**
 * Partial update: what the body leaves out keeps its value. The definition is saved first and the
 * status changed after, so a change that fails validation changes nothing, and rules sent with
 * "PAUSED" are evaluated once, then frozen; sent with "ACTIVE", the resume evaluates them.
 */
export async function updateSegmentByKey(id: number, body: UpdateSegmentBody, key: VerifiedApiKey): Promise<ApiSegmentWrite> {
  const options = { auditDetails: keyAuditDetails(key) };
  let evaluation: EvaluationOutcome = 'not-needed';
  if (body.name !== undefined || body.description !== undefined || body.rules !== undefined) {
    const current = await getApiSegment(id);
    const input = { name: body.name ?? current.name, description: body.description ?? current.description, rules: body.rules === undefined ? current.rules : body.rules };
    await assertValidDefinition(input);
    const saved = await updateSegment(id, input, null, options);
    evaluation = saved.evaluation;
  }
  if (body.status !== undefined) {
    const changed = await setSegmentStatus(id, body.status, null, options);
    if (changed.evaluation !== 'not-needed') evaluation = changed.evaluation;
  }
  return { ...(await getApiSegment(id)), evaluation };
}

export async function deleteSegmentByKey(id: number, key: VerifiedApiKey): Promise<void> {
  await deleteSegment(id, null, { auditDetails: keyAuditDetails(key) });
}

export interface ApiRun {
  status: 'completed';
  runId: number;
  clock: string;
  startedAt: string;
  ms: number;
  segments: { id: number; name: string; members: number; entered: number; left: number; ms: number; error?: string }[];
}

/** Re-evaluates every active segment now (a MANUAL run, as "Run evaluation now"); 409 while another run holds the lock. */
export async function evaluateByKey(key: VerifiedApiKey): Promise<ApiRun> {
  const result = await evaluateAllSegments(null, { auditDetails: keyAuditDetails(key) });
  if (result.status === 'busy') {
    throw new ApiConflictError(
      result.runId ? `An evaluation run (#${result.runId}) is already in progress; it re-evaluates every active segment.` : 'An evaluation run is already in progress.',
      { runId: result.runId, startedAt: result.startedAt },
    );
  }
  return result;
}
