import { z } from 'zod';
import { ExpectedError } from '../auth/errors';
import { describeProblems, parseRules, type Group } from '../rules/parse';
import { parseColumns, type ExportColumn } from './columns';

/** What a person submits for an audience; rules and columns are checked by the domain, not by zod. */
export const audienceInputSchema = z.object({
  name: z.string().trim().min(1, 'Give the audience a name.').max(120, 'Keep the name under 120 characters.'),
  description: z.string().trim().max(2000, 'Keep the description under 2,000 characters.').default(''),
  rules: z.unknown(),
  columns: z.array(z.string()).max(50),
});
export type AudienceInput = z.input<typeof audienceInputSchema>;

export interface ValidDefinition {
  tree: Group;
  columns: ExportColumn[];
}

/** Rules and columns a freeze can run, or an ExpectedError that says what is wrong. */
export function validateDefinition(rules: unknown, columns: unknown): ValidDefinition {
  const parsed = parseRules(rules);
  if (!parsed.ok) throw new ExpectedError(`The rules are not valid: ${describeProblems(parsed.problems)}.`, 422);
  const cols = parseColumns(columns);
  if (!cols.ok) throw new ExpectedError(`The export columns are not valid: ${cols.message}.`, 422);
  return { tree: parsed.tree, columns: cols.columns };
}
