import { NextResponse } from 'next/server';
import { NotFoundError } from '@/lib/auth/errors';
import { withPermission } from '@/lib/auth/route';
import { getSegment } from '@/lib/segments/queries';
import { parsePathId } from '@/lib/audiences/ids';

export const dynamic = 'force-dynamic';

/** GET: one segment's state (status, members, last evaluation, pending), polled while an evaluation is pending. */
export const GET = withPermission('app.view', async (_request, _user, context: { params: Promise<{ id: string }> }) => {
  // A number too large for the column would be a database error (500): anything but a plain id is not found.
  const id = parsePathId((await context.params).id) ?? 0;
  const segment = id > 0 ? await getSegment(id) : null;
  if (!segment) throw new NotFoundError('The segment');
  return NextResponse.json({
    id: segment.id,
    name: segment.name,
    status: segment.status,
    version: segment.version,
    memberCount: segment.memberCount,
    lastEvaluatedAt: segment.lastEvaluatedAt,
    lastError: segment.lastError,
    evaluationPending: segment.evaluationPending,
    rules: segment.rules,
  });
});
