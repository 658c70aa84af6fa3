import { describe, expect, it } from 'vitest';
import { readBodyUpTo } from './body';

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
const post = (body: BodyInit | null, headers: Record<string, string> = {}) => new Request('http://x/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('reading a request body up to a limit', () => {
  it('returns the bytes, all chunks joined, up to and at the limit', async () => {
    expect(await readBodyUpTo(post(streamOf(3, 10).stream), 30)).toEqual(new Uint8Array(30).fill(0x61));
  });

  it('stops reading as soon as the limit is passed', async () => {
    const { stream, pulled } = streamOf(1000, 10);
    expect(await readBodyUpTo(post(stream), 25)).toBeNull();
    expect(pulled()).toBeLessThan(10);
  });

  it('refuses a declared length over the limit before reading anything', async () => {
    const { stream, pulled } = streamOf(4, 10);
    expect(await readBodyUpTo(post(stream, { 'content-length': '40' }), 30)).toBeNull();
    expect(pulled()).toBeLessThanOrEqual(1); // at most what the stream queues by itself
  });

  it('reads no body as empty', async () => {
    expect(await readBodyUpTo(post(null), 30)).toEqual(new Uint8Array());
  });
});
