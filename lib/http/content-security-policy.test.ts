import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce } from './content-security-policy';

const directives = (policy: string) => Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('Content-Security-Policy', () => {
  it('runs only scripts carrying the nonce (and what they load); no inline script, no eval outside next dev', () => {
    const d = directives(contentSecurityPolicy({ nonce: 'abc123==' }));
    expect(d['script-src']).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(d['script-src']).not.toContain("'unsafe-inline'");
    expect(directives(contentSecurityPolicy({ nonce: 'n', dev: true }))['script-src']).toContain("'unsafe-eval'");
  });

  it('refuses framing, plugins, base rewriting and foreign form targets; inline styles only as attributes', () => {
    const d = directives(contentSecurityPolicy({ nonce: 'n' }));
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['base-uri']).toEqual(["'none'"]);
    expect(d['form-action']).toEqual(["'self'"]);
    expect(d['connect-src']).toEqual(["'self'"]);
    expect(d['style-src']).not.toContain("'unsafe-inline'");
    expect(d['style-src-attr']).toEqual(["'unsafe-inline'"]);
  });

  it('makes a fresh 128-bit nonce each time', () => {
    const a = newNonce();
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
