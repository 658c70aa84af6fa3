import { audit } from '@/lib/audit';
import { withPermission } from '@/lib/auth/route';
import { findExportableVersion, versionCsvStream } from '@/lib/audiences/export';
import { idFromPath } from '@/lib/audiences/ids';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string; number: string }> };

/** Streams one frozen version as CSV (lib/audiences/export.ts does the work; this only wires it). */
export const GET = withPermission('audience.download', async (_request, user, { params }: Context) => {
  const { id, number } = await params;
  const version = await findExportableVersion(idFromPath(id, 'The audience'), idFromPath(number, 'The version'));
  await audit({
    actorId: user.id,
    action: 'audience.download',
    entityType: 'audience',
    entityId: version.audienceId,
    details: { versionId: version.versionId, number: version.number, rowCount: version.rowCount },
  });
  return new Response(versionCsvStream(version), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${version.filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
});
