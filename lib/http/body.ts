/**
 * A request body of at most `limit` bytes, or null when it is larger: judged first by a declared
 * Content-Length (nothing is read then), then by the bytes actually read, where reading stops as soon as
 * the limit is passed, so an oversized body costs no more than the limit and a missing or lying header
 * does not help. No body reads as empty. Each caller answers "too large" in its own protocol's words.
 */
export async function readBodyUpTo(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return null;
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
      return null;
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
