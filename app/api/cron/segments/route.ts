import { NextResponse } from 'next/server';
import { isAuthorizedCronRequest } from '@/lib/segments/cron-auth';
import { runSegmentEvaluation } from '@/lib/segments/evaluate';

export const dynamic = 'force-dynamic';
export const maxDuration = 800;

/**
 * The scheduled route hosted cron services call (GET or POST): re-evaluates every active segment.
 * 401 without the bearer secret; 409 while another run is in progress (that run does the work).
 */
async function handle(request: Request): Promise<Response> {
  if (!isAuthorizedCronRequest(request.headers.get('authorization'))) {
    return NextResponse.json({ error: 'Unauthorized: send Authorization: Bearer <CRON_SECRET>' }, { status: 401 });
  }
  try {
    const result = await runSegmentEvaluation({ trigger: 'CRON_ROUTE' });
    if (result.status === 'busy') {
      return NextResponse.json(
        { status: 'already_running', runId: result.runId, startedAt: result.startedAt, message: 'Another evaluation run is in progress; it will tag every active segment.' },
        { status: 409 },
      );
    }
    return NextResponse.json({
      status: 'completed',
      runId: result.runId,
      clock: result.clock,
      ms: result.ms,
      segments: result.segments.map((s) => ({ id: s.id, name: s.name, members: s.members, entered: s.entered, left: s.left, ms: s.ms, ...(s.error ? { error: s.error } : {}) })),
    });
  } catch (error) {
    console.error('cron run failed', error);
    return NextResponse.json({ status: 'failed', error: 'The evaluation run failed; see the server log.' }, { status: 500 });
  }
}

export const GET = handle;
export const POST = handle;
