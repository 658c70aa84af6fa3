import { describe, expect, it } from 'vitest';
import { ExpectedError } from './errors';
import { readJsonBody } from './route';

const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request('http://localhost/api/x', { method: 'POST', body, headers });

describe('readJsonBody', () => {
  it('reads JSON', async () => {
    expect(await readJsonBody(post('{"rules":{"combinator":"and"}}'))).toEqual({ rules: { combinator: 'and' } });
  });

  it('refuses a body over the limit with 413, by header and by bytes actually read', async () => {
    const big = JSON.stringify({ rules: 'x'.repeat(2000) });
    await expect(readJsonBody(post(big), 1000)).rejects.toMatchObject({ status: 413 });
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(500)));
        c.close();
      },
    });
    const lying = new Request('http://localhost/api/x', { method: 'POST', body: stream, headers: { 'content-length': '10' }, duplex: 'half' } as RequestInit);
    await expect(readJsonBody(lying, 1000)).rejects.toMatchObject({ status: 413, message: 'The request body is too large (at most 1 KB).' });
  });

  it('refuses what is not JSON with 400', async () => {
    for (const body of ['not json', '{"a":', '']) {
      const error = await readJsonBody(post(body)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExpectedError);
      expect(error).toMatchObject({ status: 400 });
    }
  });
});
