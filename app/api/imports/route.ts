import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { NextResponse } from 'next/server';
import { ExpectedError } from '@/lib/auth/errors';
import { withPermission } from '@/lib/auth/route';
import { fileNameFrom, importErrorResponse } from '@/lib/import/profiles/http';
import { getImportJob } from '@/lib/import/profiles/jobs';
import { stageProfileCsv } from '@/lib/import/profiles/stage';

export const dynamic = 'force-dynamic';

/**
 * POST the CSV file itself as the body (the page streams the File), its name in `X-File-Name`.
 * The file is streamed into staging rows; the answer is the staged import with its columns, samples
 * and a suggested mapping. 413 past the size limit, 422 for a file that cannot be read.
 */
export const POST = withPermission('import.run', async (request, user) => {
  try {
    if (!request.body) throw new ExpectedError('Send the CSV file as the request body.', 400);
    const declared = Number(request.headers.get('content-length') ?? NaN);
    const body = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
    const staged = await stageProfileCsv(body, { fileName: fileNameFrom(request.headers.get('x-file-name')), declaredBytes: Number.isFinite(declared) ? declared : null }, user.id);
    return NextResponse.json(await getImportJob(staged.id), { status: 201 });
  } catch (error) {
    return importErrorResponse(error);
  }
});
