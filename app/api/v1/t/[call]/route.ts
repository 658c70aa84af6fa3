import { declareRouteAccess } from '@/lib/auth/route';
import { endpointOf, handleTrackingRequest, preflight } from '@/lib/tracking/http';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ call: string }> };

/**
 * The tracking API (Segment tracking API specification) under the base URL /api/v1/t:
 * POST identify, track, page, screen, group, alias and batch. See lib/tracking/http.ts and docs/tracking.md.
 * The write key (an API key with the ingest scope) is checked in handleTrackingRequest, before the body is read.
 */
export const POST = declareRouteAccess({ kind: 'apiKey', scope: 'ingest' }, async (request: Request, { params }: Context): Promise<Response> => {
  const endpoint = endpointOf((await params).call);
  if (!endpoint) return Response.json({ success: false, message: 'Unknown tracking endpoint.' }, { status: 404 });
  return handleTrackingRequest(request, endpoint);
});

/** CORS preflight for browser SDKs: carries no data and no key. */
export const OPTIONS = declareRouteAccess({ kind: 'public', reason: 'CORS preflight of the tracking API; answers headers only' }, async (): Promise<Response> => preflight());
