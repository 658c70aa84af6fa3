import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite } from './cross-site';

const req = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });

describe('isCrossSiteWrite', () => {
  it('lets same-origin posts and every GET through', () => {
    expect(isCrossSiteWrite(req('POST', { host: 'app.test:3000', origin: 'http://app.test:3000' }))).toBe(false);
    expect(isCrossSiteWrite(req('POST', { host: 'internal:3000', 'x-forwarded-host': 'tagwise.example', origin: 'https://tagwise.example' }))).toBe(false);
    expect(isCrossSiteWrite(req('GET', { host: 'app.test', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }))).toBe(false);
    expect(isCrossSiteWrite(req('POST', { host: 'app.test' }))).toBe(false); // no Origin: not a browser's cross-site post
  });

  it('refuses posts from another origin, a null origin, or marked cross-site by the browser', () => {
    expect(isCrossSiteWrite(req('POST', { host: 'app.test:3000', origin: 'https://evil.example' }))).toBe(true);
    expect(isCrossSiteWrite(req('POST', { host: 'app.test:3000', origin: 'http://app.test:3001' }))).toBe(true);
    expect(isCrossSiteWrite(req('POST', { host: 'app.test', origin: 'null' }))).toBe(true);
    expect(isCrossSiteWrite(req('POST', { host: 'app.test', origin: 'not a url' }))).toBe(true);
    expect(isCrossSiteWrite(req('DELETE', { host: 'app.test', 'sec-fetch-site': 'cross-site' }))).toBe(true);
  });
});
