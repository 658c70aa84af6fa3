import { endpointOf, handleTrackingRequest, preflight } from '@/lib/tracking/http';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ call: string }> };

/**
 * The tracking API (Segment tracking API specification) under the base URL /api/v1/t:
 * POST identify, track, page, screen, group, alias and batch. See lib/tracking/http.ts and docs/tracking.md.
 */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  const endpoint = endpointOf((await params).call);
  if (!endpoint) return Response.json({ success: false, message: 'Unknown tracking endpoint.' }, { status: 404 });
  return handleTrackingRequest(request, endpoint);
}

export function OPTIONS(): Response {
  return preflight();
}
