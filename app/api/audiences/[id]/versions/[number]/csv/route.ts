import { audit } from '@/lib/audit';
import { withPermission } from '@/lib/auth/route';
import { csvResponse, findExportableVersion, parseCsvOptions, versionCsvDownload } from '@/lib/audiences/export';
import { idFromPath } from '@/lib/audiences/ids';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string; number: string }> };

/**
 * Streams one frozen version as CSV (lib/audiences/export.ts does the work; this only wires it).
 * `?bom=1` starts the file with a byte-order mark for Excel; `?preset=google|meta` writes an ad
 * platform's customer list, `&hash=sha256` with e-mail and phone hashed.
 */
export const GET = withPermission('audience.download', async (request, user, { params }: Context) => {
  const { id, number } = await params;
  const options = parseCsvOptions(new URL(request.url).searchParams);
  const version = await findExportableVersion(idFromPath(id, 'The audience'), idFromPath(number, 'The version'));
  const download = versionCsvDownload(version, options);
  await audit({
    actorId: user.id,
    action: 'audience.download',
    entityType: 'audience',
    entityId: version.audienceId,
    details: { versionId: version.versionId, number: version.number, rowCount: version.rowCount, ...options },
  });
  return csvResponse(download);
});
