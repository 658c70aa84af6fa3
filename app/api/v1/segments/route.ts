import { apiRoute, jsonResponse, readJsonObject } from '@/lib/api/http';
import { createSegmentByKey } from '@/lib/api/segment-writes';
import { listApiSegments, parseCreateBody } from '@/lib/api/segments';

export const dynamic = 'force-dynamic';

/** GET /api/v1/segments, scope api:read: every segment with its member count. */
export const GET = apiRoute('api:read', async () => jsonResponse({ segments: await listApiSegments() }));

/** POST /api/v1/segments, scope api:write: creates a segment from the builder's rule JSON (422 with the problems when invalid). */
export const POST = apiRoute('api:write', async (request, key) => {
  const body = parseCreateBody(await readJsonObject(request));
  const segment = await createSegmentByKey(body, key);
  return jsonResponse(segment, 201, { Location: `/api/v1/segments/${segment.id}` });
});
