import { openApiDocument } from '@/lib/api/openapi';
import { declareRouteAccess } from '@/lib/auth/route';

export const dynamic = 'force-dynamic';

/** GET /api/v1/openapi.json: the OpenAPI 3.1 description of this API. */
export const GET = declareRouteAccess({ kind: 'public', reason: 'the API description for client generators; it holds no data' }, async (request: Request) => {
  const origin = new URL(request.url).origin;
  return Response.json(openApiDocument(origin), { headers: { 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' } });
});
