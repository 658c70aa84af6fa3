import { NextResponse } from 'next/server';
import { idFromPath } from '@/lib/audiences/ids';
import { withPermission } from '@/lib/auth/route';
import { discardImportJob, getImportJob } from '@/lib/import/profiles/jobs';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** GET: the import's state (the page polls it while an import runs). */
export const GET = withPermission('import.run', async (_request, _user, { params }: Context) => {
  return NextResponse.json(await getImportJob(idFromPath((await params).id, 'The import')), { headers: { 'Cache-Control': 'no-store' } });
});

/** DELETE: discards an upload that will not be imported. */
export const DELETE = withPermission('import.run', async (_request, _user, { params }: Context) => {
  await discardImportJob(idFromPath((await params).id, 'The import'));
  return new Response(null, { status: 204 });
});
