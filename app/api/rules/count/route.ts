import { NextResponse } from 'next/server';
import { readJsonBody, withPermission } from '@/lib/auth/route';
import { countMatchingProfiles } from '@/lib/rules/count';
import { describeProblems, parseRules } from '@/lib/rules/parse';
import { loadFieldCatalog } from '@/lib/traits/registry';

export const dynamic = 'force-dynamic';

/**
 * The builder's live count: POST {rules} -> 200 {count}, or 422 {error, problems: [{path, message}]}
 * when the rules are not valid (the same parser that guards saving, so the count never disagrees).
 */
export const POST = withPermission('app.view', async (request: Request) => {
  const body = await readJsonBody(request); // 413 when oversized, 400 when not JSON
  const rules = typeof body === 'object' && body !== null ? (body as { rules?: unknown }).rules : undefined;
  const parsed = parseRules(rules, await loadFieldCatalog());
  if (!parsed.ok) {
    return NextResponse.json({ error: describeProblems(parsed.problems), problems: parsed.problems }, { status: 422 });
  }
  const count = await countMatchingProfiles(parsed.tree);
  return NextResponse.json({ count });
});
