import { NextResponse } from 'next/server';
import { revalidatePath } from 'next/cache';
import { idFromPath } from '@/lib/audiences/ids';
import { ExpectedError } from '@/lib/auth/errors';
import { withPermission } from '@/lib/auth/route';
import { importErrorResponse } from '@/lib/import/profiles/http';
import { runImportJob } from '@/lib/import/profiles/jobs';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/**
 * POST {mapping}: imports the staged file, all or nothing, then re-evaluates the segments; answers
 * when done (the page polls GET /api/imports/{id} meanwhile). 422 with the report when the check
 * finds problems, 409 when the file is being or was imported.
 */
export const POST = withPermission('import.run', async (request, user, { params }: Context) => {
  try {
    const id = idFromPath((await params).id, 'The import');
    const body = (await request.json().catch(() => {
      throw new ExpectedError('The body must be JSON: {"mapping": {...}}.', 400);
    })) as { mapping?: unknown } | null;
    const result = await runImportJob(id, body?.mapping, user.id);
    revalidatePath('/segments');
    revalidatePath('/profiles');
    return NextResponse.json({ result });
  } catch (error) {
    return importErrorResponse(error);
  }
});
