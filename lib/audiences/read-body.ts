import { readBodyUpTo } from '../http/body';
import { tooLarge, UPLOAD_MAX_BYTES } from './upload';

/** An upload's body, up to `limit` bytes; larger is refused with 413 (lib/http/body.ts reads it). */
export async function readBodyLimited(request: Request, limit = UPLOAD_MAX_BYTES): Promise<Uint8Array> {
  const body = await readBodyUpTo(request, limit);
  if (!body) throw tooLarge();
  return body;
}
