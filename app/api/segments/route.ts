import { NextResponse } from 'next/server';
import { withPermission } from '@/lib/auth/route';
import { listSegments } from '@/lib/segments/queries';

export const dynamic = 'force-dynamic';

/** GET: every segment with its status, member count and last evaluation (for client-side views). */
export const GET = withPermission('app.view', async () => NextResponse.json({ segments: await listSegments() }));
