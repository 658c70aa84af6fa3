import { NextResponse } from 'next/server';
import { z } from 'zod';
import { withPermission } from '@/lib/auth/route';
import { describeProblems, parseRules } from '@/lib/rules/parse';
import { explainProfile } from '@/lib/segments/explain';
import { loadFieldCatalog } from '@/lib/traits/registry';

export const dynamic = 'force-dynamic';

const bodySchema = z.object({
  rules: z.unknown(),
  profile: z.string().trim().min(1, 'Enter a customer id or email.').max(320),
  segmentId: z.number().int().positive().optional(),
});

/**
 * POST {rules, profile, segmentId?} -> 200 {profile, matches, tree, segment?}: why a customer is or
 * is not matched by these rules (saved or still being edited), condition by condition.
 */
export const POST = withPermission('app.view', async (request: Request) => {
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) return NextResponse.json({ error: body.error.issues.map((i) => i.message).join(' ') }, { status: 400 });
  const parsed = parseRules(body.data.rules, await loadFieldCatalog());
  if (!parsed.ok) return NextResponse.json({ error: describeProblems(parsed.problems), problems: parsed.problems }, { status: 422 });
  return NextResponse.json(await explainProfile(parsed.tree, body.data.profile, { segmentId: body.data.segmentId }));
});
