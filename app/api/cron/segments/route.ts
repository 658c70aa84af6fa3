import { NextResponse } from 'next/server';
import { declareRouteAccess } from '@/lib/auth/route';
import { cronSecretProblem, isAuthorizedCronRequest } from '@/lib/segments/cron-auth';
import { runSegmentEvaluation } from '@/lib/segments/evaluate';

export const dynamic = 'force-dynamic';
export const maxDuration = 800;

/**
 * The scheduled route hosted cron services call (GET or POST): re-evaluates every active segment.
 * 401 without the bearer secret; 409 while another run is in progress (that run does the work).
 */
async function handle(request: Request): Promise<Response> {
  // In production a missing or weak secret is a deployment mistake to surface, not a 401 to puzzle over.
  const problem = cronSecretProblem();
  if (problem && process.env.NODE_ENV === 'production') {
    return NextResponse.json({ error: `The scheduled route is not configured: ${problem}` }, { status: 503 });
  }
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

const access = { kind: 'secret', env: 'CRON_SECRET' } as const;
export const GET = declareRouteAccess(access, handle);
export const POST = declareRouteAccess(access, async (request: Request) => handle(request)); // its own function: the access mark is per function
