import { describe, expect, it } from 'vitest';
import { readBodyLimited } from './read-body';

function streamOf(chunks: number, size: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close();
      sent++;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  return { stream, pulled: () => sent };
}

describe('reading an upload body with a limit', () => {
  it('returns the bytes under the limit', async () => {
    const { stream } = streamOf(3, 10);
    const body = await readBodyLimited(new Request('http://x/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit), 30);
    expect(body).toEqual(new Uint8Array(30).fill(0x61));
  });

  it('stops reading as soon as the limit is passed (413)', async () => {
    const { stream, pulled } = streamOf(1000, 10);
    await expect(readBodyLimited(new Request('http://x/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit), 25)).rejects.toMatchObject({ status: 413 });
    expect(pulled()).toBeLessThan(10);
  });

  it('refuses a declared length over the limit before reading', async () => {
    const request = new Request('http://x/', { method: 'POST', body: 'x'.repeat(40), headers: { 'content-length': '40' } });
    await expect(readBodyLimited(request, 30)).rejects.toMatchObject({ status: 413, message: expect.stringMatching(/larger than/) });
  });
});
