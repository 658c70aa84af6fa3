import { apiRoute, jsonResponse } from '@/lib/api/http';
import { evaluateByKey } from '@/lib/api/segment-writes';

export const dynamic = 'force-dynamic';

/** POST /api/v1/evaluations, scope api:write: re-evaluates every active segment now; 409 while another run is in progress. */
export const POST = apiRoute('api:write', async (_request, key) => jsonResponse(await evaluateByKey(key)));
