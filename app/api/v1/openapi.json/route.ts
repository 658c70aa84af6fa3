import { openApiDocument } from '@/lib/api/openapi';

export const dynamic = 'force-dynamic';

/** GET /api/v1/openapi.json: the OpenAPI 3.1 description of this API (public: it holds no data). */
export function GET(request: Request): Response {
  const origin = new URL(request.url).origin;
  return Response.json(openApiDocument(origin), { headers: { 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' } });
}
