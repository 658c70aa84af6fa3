import { getPool, type Queryable } from '../db/pool';
import { getWorkspaceTimeZone } from '../settings/time-zone';
import { compileConditions } from './compile';
import type { Condition, Group } from './parse';

/**
 * Why a profile is or is not matched by rules: every condition's result and the value it looked
 * at, and every group's result, from one query over that profile with the same compiled SQL the
 * evaluation uses (so the explanation cannot disagree with the membership it explains).
 */
export interface ConditionExplanation {
  type: 'condition';
  condition: Condition;
  holds: boolean;
  /** The profile's value the condition compared, as text; null when empty or not applicable. */
  observed: string | null;
}
export interface GroupExplanation {
  type: 'group';
  combinator: 'and' | 'or';
  not: boolean;
  holds: boolean;
  rules: (ConditionExplanation | GroupExplanation)[];
}

export async function explainRules(tree: Group, profileId: number, options: { now?: Date; db?: Queryable } = {}): Promise<GroupExplanation | null> {
  const db = options.db ?? getPool();
  const now = options.now ?? new Date();
  const { conditions, params } = compileConditions(tree, now, { timeZone: await getWorkspaceTimeZone(db), paramOffset: 1 });
  const columns = conditions.flatMap((c, i) => [`${c.holds} AS h${i}`, `${c.observed ?? 'NULL::text'} AS o${i}`]);
  const { rows } = await db.query<Record<string, boolean | string | null>>(`SELECT ${columns.join(', ')} FROM profiles p WHERE p.id = $1`, [profileId, ...params]);
  const row = rows[0];
  if (!row) return null;
  let next = 0;
  const annotate = (g: Group): GroupExplanation => {
    const rules = g.rules.map((r): ConditionExplanation | GroupExplanation => {
      if (r.type === 'group') return annotate(r);
      const i = next++;
      return { type: 'condition', condition: r, holds: row[`h${i}`] === true, observed: (row[`o${i}`] as string | null) ?? null };
    });
    const combined = g.combinator === 'and' ? rules.every((r) => r.holds) : rules.some((r) => r.holds);
    return { type: 'group', combinator: g.combinator, not: g.not, holds: g.not ? !combined : combined, rules };
  };
  return annotate(tree);
}

/** What a person sees: each condition in words, its result and the value it looked at. */
export type ExplanationNode =
  | { type: 'condition'; text: string; holds: boolean; observed: string | null }
  | { type: 'group'; combinator: 'and' | 'or'; not: boolean; holds: boolean; rules: ExplanationNode[] };

export function toExplanationNode(g: GroupExplanation, describe: (c: Condition) => string): ExplanationNode {
  return {
    type: 'group',
    combinator: g.combinator,
    not: g.not,
    holds: g.holds,
    rules: g.rules.map((r) => (r.type === 'group' ? toExplanationNode(r, describe) : { type: 'condition', text: describe(r.condition), holds: r.holds, observed: r.observed })),
  };
}
