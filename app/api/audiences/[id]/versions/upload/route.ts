import { NextResponse } from 'next/server';
import { revalidatePath } from 'next/cache';
import { withPermission } from '@/lib/auth/route';
import { idFromPath } from '@/lib/audiences/ids';
import { readBodyLimited } from '@/lib/audiences/read-body';
import { checkUpload, uploadVersion } from '@/lib/audiences/upload';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/**
 * POST the CSV file itself as the body (the browser streams the File), its name in
 * `X-File-Name` (URI-encoded). `?check=1` only reports; otherwise the list becomes the next
 * version. Answers the report either way; 413 past the size limit, 422 for a file it cannot use.
 */
export const POST = withPermission('audience.freeze', async (request, user, { params }: Context) => {
  const audienceId = idFromPath((await params).id, 'The audience');
  const fileName = decodeFileName(request.headers.get('x-file-name'));
  const bytes = await readBodyLimited(request);
  if (new URL(request.url).searchParams.get('check') === '1') {
    return NextResponse.json({ stored: false, report: await checkUpload(audienceId, bytes, fileName) });
  }
  const version = await uploadVersion(audienceId, bytes, fileName, user.id);
  revalidatePath('/audiences');
  revalidatePath(`/audiences/${audienceId}`);
  return NextResponse.json({ stored: true, number: version.number, rowCount: version.rowCount, report: version.report });
});

function decodeFileName(header: string | null): string {
  if (!header) return 'upload.csv';
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}
