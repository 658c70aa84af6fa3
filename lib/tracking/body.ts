import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { readBodyUpTo } from '../http/body';

const gunzipAsync = promisify(gunzip);

export type BodyResult = { ok: true; value: unknown; bytes: number } | { ok: false; status: 400 | 415; message: string };

/** gzip adds a few bytes to data it cannot shrink; a compressed body may be this much over the limit. */
const GZIP_SLACK = 1024;

/**
 * Reads a JSON request body of at most `limit` bytes (after decompression: RudderStack's client sends
 * gzip by default). Stops reading as soon as the limit is passed, so an oversized body costs no more
 * than the limit. Over the limit is a 400, as the spec's servers answer; unparseable JSON is a 400.
 */
export async function readJsonBody(request: Request, limit: number): Promise<BodyResult> {
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const gzipped = encoding === 'gzip' || encoding === 'x-gzip';
  if (!gzipped && encoding !== 'identity' && encoding !== '') {
    return { ok: false, status: 415, message: `Content-Encoding ${encoding} is not supported; send gzip or no encoding.` };
  }
  const tooLarge = { ok: false as const, status: 400 as const, message: `The request body is larger than ${Math.round(limit / 1024)} KB, the limit for this endpoint.` };
  const rawLimit = gzipped ? limit + GZIP_SLACK : limit;
  const raw = await readBodyUpTo(request, rawLimit);
  if (!raw) return tooLarge;
  let bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (gzipped) {
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: limit + 1 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge;
      return { ok: false, status: 400, message: 'The body is not valid gzip.' };
    }
    if (bytes.byteLength > limit) return tooLarge;
  }
  if (bytes.byteLength === 0) return { ok: false, status: 400, message: 'The request has no body; send a JSON object.' };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')), bytes: bytes.byteLength };
  } catch {
    return { ok: false, status: 400, message: 'The body is not valid JSON.' };
  }
}
