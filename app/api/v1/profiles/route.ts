import { apiRoute, jsonResponse } from '@/lib/api/http';
import { findApiProfile, profileRefFromQuery } from '@/lib/api/profiles';

export const dynamic = 'force-dynamic';

/** GET /api/v1/profiles?email=… (or ?externalId=…), scope api:read: the profile with its traits, metrics and segment tags. */
export const GET = apiRoute('api:read', async (request) => {
  const ref = profileRefFromQuery(new URL(request.url).searchParams);
  return jsonResponse(await findApiProfile(ref));
});
