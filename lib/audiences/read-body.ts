import { tooLarge, UPLOAD_MAX_BYTES } from './upload';

/**
 * Reads a request body up to `limit` bytes, refusing (413) as soon as it is exceeded: a declared
 * Content-Length over the limit is refused before reading, and a body that runs past it is cut off.
 */
export async function readBodyLimited(request: Request, limit = UPLOAD_MAX_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
