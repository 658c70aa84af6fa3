import { z } from 'zod';
import { ExpectedError } from '../auth/errors';
import { BUILT_IN_CATALOG, OPERATOR_ALIASES, type FieldCatalog } from '../rules/fields';
import { describeProblems, parseRules, type RuleProblem } from '../rules/parse';

export const SEGMENT_NAME_MAX = 120;
export const SEGMENT_DESCRIPTION_MAX = 2000;

export const segmentInputSchema = z.object({
  name: z.string().trim().min(1, 'Give the segment a name.').max(SEGMENT_NAME_MAX, `A name may be at most ${SEGMENT_NAME_MAX} characters.`),
  description: z.string().trim().max(SEGMENT_DESCRIPTION_MAX, `A description may be at most ${SEGMENT_DESCRIPTION_MAX} characters.`).default(''),
  rules: z.unknown(),
});
export type SegmentInput = z.input<typeof segmentInputSchema>;

export interface SegmentDefinition {
  name: string;
  description: string;
  /** The rules in canonical form: only combinator/not/rules and field/operator/value, as stored. */
  rules: unknown;
}

/** The rules were refused; `problems` say where and why, the message lists them for people. */
export class RuleValidationError extends ExpectedError {
  constructor(readonly problems: RuleProblem[]) {
    super(`The rules cannot be saved: ${describeProblems(problems)}.`, 422);
    this.name = 'RuleValidationError';
  }
}

/** Validates a name, a description and rules (parseRules); throws an ExpectedError naming every problem. */
export function validateSegmentInput(input: SegmentInput, catalog: FieldCatalog = BUILT_IN_CATALOG): SegmentDefinition {
  const parsed = segmentInputSchema.safeParse(input);
  if (!parsed.success) throw new ExpectedError(parsed.error.issues.map((i) => i.message).join(' '), 422);
  assertValidRules(parsed.data.rules, catalog);
  return { name: parsed.data.name, description: parsed.data.description, rules: canonicalRules(parsed.data.rules) };
}

export function assertValidRules(rules: unknown, catalog: FieldCatalog = BUILT_IN_CATALOG): void {
  const result = parseRules(rules, catalog);
  if (!result.ok) throw new RuleValidationError(result.problems);
}

/**
 * Drops what the builder adds for its own bookkeeping (ids, paths) so that stored rules compare
 * equal when they mean the same, and a version is bumped only for a real change.
 */
export function canonicalRules(node: unknown): unknown {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.rules)) {
    return {
      combinator: typeof n.combinator === 'string' ? n.combinator.toLowerCase() : n.combinator,
      ...(n.not === true ? { not: true } : {}),
      rules: n.rules.map(canonicalRules),
    };
  }
  // First-version operator names are stored under today's names, with the same meaning.
  const operator = typeof n.operator === 'string' ? (OPERATOR_ALIASES[n.operator] ?? n.operator) : n.operator;
  return { field: n.field, operator, value: n.value ?? null, ...(n.caseSensitive === true ? { caseSensitive: true } : {}) };
}

/** JSON with object keys sorted, so {count, days} and {days, count} are the same definition. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function sameRules(a: unknown, b: unknown): boolean {
  return stableJson(canonicalRules(a)) === stableJson(canonicalRules(b));
}
