import { describe, expect, it } from 'vitest';
import { readBodyLimited } from './read-body';

// How the body is read (chunks, stopping early, the declared length) is tested in lib/http/body.test.ts.
describe('reading an upload body with a limit', () => {
  it('returns the bytes under the limit', async () => {
    const body = await readBodyLimited(new Request('http://x/', { method: 'POST', body: 'a'.repeat(30) }), 30);
    expect(body).toEqual(new Uint8Array(30).fill(0x61));
  });

  it('refuses a body over the limit with 413 and says what to do, whether the length is declared or read', async () => {
    const declared = new Request('http://x/', { method: 'POST', body: 'x'.repeat(40), headers: { 'content-length': '40' } });
    await expect(readBodyLimited(declared, 30)).rejects.toMatchObject({ status: 413, message: expect.stringMatching(/larger than/) });
    const streamed = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array(40)), c.close()) });
    await expect(readBodyLimited(new Request('http://x/', { method: 'POST', body: streamed, duplex: 'half' } as RequestInit), 30)).rejects.toMatchObject({ status: 413 });
  });
});
