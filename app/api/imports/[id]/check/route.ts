import { NextResponse } from 'next/server';
import { idFromPath } from '@/lib/audiences/ids';
import { ExpectedError } from '@/lib/auth/errors';
import { withPermission } from '@/lib/auth/route';
import { importErrorResponse } from '@/lib/import/profiles/http';
import { checkImportJob } from '@/lib/import/profiles/jobs';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** POST {mapping}: the validation report (problems with row numbers); writes no profile. */
export const POST = withPermission('import.run', async (request, _user, { params }: Context) => {
  try {
    const id = idFromPath((await params).id, 'The import');
    const body = (await request.json().catch(() => {
      throw new ExpectedError('The body must be JSON: {"mapping": {...}}.', 400);
    })) as { mapping?: unknown } | null;
    return NextResponse.json({ report: await checkImportJob(id, body?.mapping) });
  } catch (error) {
    return importErrorResponse(error);
  }
});
