import { NotFoundError } from '../auth/errors';
import { getPool } from '../db/pool';
import { describeCondition } from '../rules/describe';
import { explainRules, toExplanationNode, type ExplanationNode } from '../rules/explain';
import type { Group } from '../rules/parse';

/**
 * "Why is this customer (not) in this segment?": the rules' verdict condition by condition, next
 * to what the stored tags and pins say, for a profile found by its customer id or email.
 */
export interface ProfileExplanation {
  profile: { id: number; externalId: string; email: string | null };
  matches: boolean;
  tree: ExplanationNode;
  /** Only with a segment: whether its stored tags include the profile, and any pin. */
  segment?: { member: boolean; pin: 'IN' | 'OUT' | null };
}

export async function findProfileByReference(reference: string): Promise<{ id: number; externalId: string; email: string | null } | null> {
  const ref = reference.trim().slice(0, 320);
  if (ref === '') return null;
  const { rows } = await getPool().query<{ id: number; externalId: string; email: string | null }>(
    `SELECT id, external_id AS "externalId", email FROM profiles
      WHERE external_id = $1 OR lower(email) = lower($1)
      ORDER BY (external_id = $1) DESC LIMIT 1`,
    [ref],
  );
  return rows[0] ?? null;
}

export async function explainProfile(tree: Group, reference: string, options: { segmentId?: number; now?: Date } = {}): Promise<ProfileExplanation> {
  const profile = await findProfileByReference(reference);
  if (!profile) throw new NotFoundError(`No customer with the id or email "${reference.trim().slice(0, 80)}"`);
  const explained = await explainRules(tree, profile.id, { now: options.now });
  if (!explained) throw new NotFoundError('The customer');
  const names = new Map((await getPool().query<{ id: number; name: string }>(`SELECT id, name FROM segments`)).rows.map((s) => [s.id, s.name]));
  const result: ProfileExplanation = { profile, matches: explained.holds, tree: toExplanationNode(explained, (c) => describeCondition(c, names)) };
  if (options.segmentId !== undefined) {
    const { rows } = await getPool().query<{ member: boolean; pin: 'IN' | 'OUT' | null }>(
      `SELECT EXISTS (SELECT 1 FROM segment_memberships WHERE segment_id = $1 AND profile_id = $2) AS member,
              (SELECT mode::text FROM segment_pins WHERE segment_id = $1 AND profile_id = $2) AS pin`,
      [options.segmentId, profile.id],
    );
    result.segment = rows[0] ?? { member: false, pin: null };
  }
  return result;
}
