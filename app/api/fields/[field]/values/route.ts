import { NextResponse } from 'next/server';
import { NotFoundError } from '@/lib/auth/errors';
import { withPermission } from '@/lib/auth/route';
import { listFieldValues } from '@/lib/profiles/field-values';

export const dynamic = 'force-dynamic';

/** GET /api/fields/country/values -> {values: [{value, count}]}: the builder's value help, most common first, at most 500. */
export const GET = withPermission('app.view', async (_request: Request, _user, context: { params: Promise<{ field: string }> }) => {
  const values = await listFieldValues((await context.params).field);
  if (!values) throw new NotFoundError('A value list for this field');
  return NextResponse.json({ values });
});
