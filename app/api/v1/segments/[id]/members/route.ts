import { apiRoute, jsonResponse, pathId } from '@/lib/api/http';
import { listApiMembers, parseMembersQuery } from '@/lib/api/segments';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** GET /api/v1/segments/{id}/members?cursor=&limit=, scope api:read: current members, keyset-paged by profile id. */
export const GET = apiRoute('api:read', async (request, _key, { params }: Context) => {
  const id = pathId((await params).id, 'The segment');
  const { after, limit } = parseMembersQuery(new URL(request.url).searchParams);
  return jsonResponse(await listApiMembers(id, after, limit));
});
