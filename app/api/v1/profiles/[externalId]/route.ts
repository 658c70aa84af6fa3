import { ExpectedError } from '@/lib/auth/errors';
import { apiRoute, jsonResponse } from '@/lib/api/http';
import { findApiProfile, MAX_REF_LENGTH } from '@/lib/api/profiles';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ externalId: string }> };

/** GET /api/v1/profiles/{externalId}, scope api:read: the profile with its traits, metrics and segment tags. */
export const GET = apiRoute('api:read', async (request, _key, { params }: Context) => {
  const { externalId } = await params;
  if (new URL(request.url).search) throw new ExpectedError('This endpoint takes no query parameters; to look up by e-mail use GET /api/v1/profiles?email=….', 400);
  if (externalId.length > MAX_REF_LENGTH) throw new ExpectedError(`The external id must be at most ${MAX_REF_LENGTH} characters.`, 400);
  return jsonResponse(await findApiProfile({ externalId }));
});
