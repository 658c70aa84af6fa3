import { NextResponse } from 'next/server';
import { z } from 'zod';
import { ExpectedError } from '@/lib/auth/errors';
import { readJsonBody, withPermission } from '@/lib/auth/route';
import { previewAudience } from '@/lib/audiences/service';

export const dynamic = 'force-dynamic';

const body = z.object({ rules: z.unknown(), columns: z.array(z.string()).max(50) });

/** POST { rules, columns } -> { count, columns, rows }: what a freeze would produce now (the editor's preview). */
export const POST = withPermission('audience.edit', async (request) => {
  const parsed = body.safeParse(await readJsonBody(request)); // 413 when oversized, 400 when not JSON
  if (!parsed.success) throw new ExpectedError('Send JSON with rules and a list of columns.', 400);
  return NextResponse.json(await previewAudience(parsed.data.rules, parsed.data.columns));
});
