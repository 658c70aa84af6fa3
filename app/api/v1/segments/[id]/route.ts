import { apiRoute, jsonResponse, pathId, readJsonObject } from '@/lib/api/http';
import { deleteSegmentByKey, updateSegmentByKey } from '@/lib/api/segment-writes';
import { getApiSegment, parseUpdateBody } from '@/lib/api/segments';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** GET /api/v1/segments/{id}, scope api:read: the segment with its rules. */
export const GET = apiRoute('api:read', async (_request, _key, { params }: Context) => {
  return jsonResponse(await getApiSegment(pathId((await params).id, 'The segment')));
});

/** PATCH /api/v1/segments/{id}, scope api:write: any of name, description, rules, status. */
export const PATCH = apiRoute('api:write', async (request, key, { params }: Context) => {
  const id = pathId((await params).id, 'The segment');
  const body = parseUpdateBody(await readJsonObject(request));
  return jsonResponse(await updateSegmentByKey(id, body, key));
});

/** DELETE /api/v1/segments/{id}, scope api:write: 204; 409 while other rules refer to it. */
export const DELETE = apiRoute('api:write', async (_request, key, { params }: Context) => {
  await deleteSegmentByKey(pathId((await params).id, 'The segment'), key);
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
});
