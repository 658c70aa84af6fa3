import { audit } from '@/lib/audit';
import { ExpectedError } from '@/lib/auth/errors';
import { withPermission } from '@/lib/auth/route';
import { compareListDownload, COMPARE_LISTS, type CompareList } from '@/lib/audiences/compare';
import { csvResponse } from '@/lib/audiences/export';
import { idFromPath } from '@/lib/audiences/ids';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** GET ?from=1&to=2&list=added|removed|kept[&bom=1]: that list of the comparison as CSV, streamed. */
export const GET = withPermission('audience.download', async (request, user, { params }: Context) => {
  const audienceId = idFromPath((await params).id, 'The audience');
  const query = new URL(request.url).searchParams;
  const list = query.get('list') ?? '';
  if (!(COMPARE_LISTS as readonly string[]).includes(list)) throw new ExpectedError('Choose list=added, removed or kept.', 400);
  const from = idFromPath(query.get('from') ?? '', 'The version');
  const to = idFromPath(query.get('to') ?? '', 'The version');
  const download = await compareListDownload(audienceId, from, to, list as CompareList, { bom: query.get('bom') === '1' });
  await audit({ actorId: user.id, action: 'audience.compare.download', entityType: 'audience', entityId: audienceId, details: { from, to, list, rowCount: download.rowCount } });
  return csvResponse(download);
});
