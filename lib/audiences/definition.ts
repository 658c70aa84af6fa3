import { z } from 'zod';
import { ExpectedError } from '../auth/errors';
import { BUILT_IN_CATALOG, type FieldCatalog } from '../rules/fields';
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

/** Rules and columns a freeze can run, or an ExpectedError that says everything that is wrong. */
export function validateDefinition(rules: unknown, columns: unknown, catalog: FieldCatalog = BUILT_IN_CATALOG): ValidDefinition {
  const parsed = parseRules(rules, catalog);
  const cols = parseColumns(columns);
  if (parsed.ok && cols.ok) return { tree: parsed.tree, columns: cols.columns };
  const problems = [
    parsed.ok ? null : `The rules are not valid: ${describeProblems(parsed.problems)}.`,
    cols.ok ? null : `The export columns are not valid: ${cols.message}.`,
  ];
  throw new ExpectedError(problems.filter(Boolean).join(' '), 422);
}
