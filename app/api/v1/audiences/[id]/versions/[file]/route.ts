import { clientIp, withApiKey } from '@/lib/auth/api-keys';
import { auditApiDownload, versionNumberFromFile } from '@/lib/audiences/api';
import { csvResponse, findExportableVersion, parseCsvOptions, versionCsvDownload } from '@/lib/audiences/export';
import { idFromPath } from '@/lib/audiences/ids';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string; file: string }> };

/**
 * GET /api/v1/audiences/{id}/versions/{n}.csv with `Authorization: Bearer <key>` (scope
 * audience:download): the version's CSV, streamed, with the same options as the app's download.
 * 401 without a valid key, 403 without the scope, 404 for an unknown audience or version.
 */
export const GET = withApiKey('audience:download', async (request, key, { params }: Context) => {
  const { id, file } = await params;
  const options = parseCsvOptions(new URL(request.url).searchParams);
  const version = await findExportableVersion(idFromPath(id, 'The audience'), versionNumberFromFile(file));
  const download = versionCsvDownload(version, options);
  await auditApiDownload(key, clientIp(request), version, options);
  return csvResponse(download);
});
