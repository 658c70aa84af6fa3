import { describe, expect, it } from 'vitest';
import { countryCode, normaliseEmail, normalisePhone, sha256Hex } from './identifiers';
import { presetLayout } from './presets';

// Digests computed outside Node (coreutils sha256sum), so the test does not trust the code it checks.
const SHA = {
  'test@example.com': '973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b',
  '447700900123': '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd',
  '+447700900123': 'a8acc3a90a7b4e4dc65e93db9240ed26523050ef754d63b75b5161de76781436',
  '12125550100': 'd70a96108cd686be3737cbeed345f2a61c178747e3cb4448e6434e24ac150acd',
};

describe('e-mail normalisation', () => {
  it('trims and lower-cases, and refuses what is not an address', () => {
    for (const raw of ['test@example.com', '  Test@Example.COM ', '\tTEST@example.com\r\n']) expect(normaliseEmail(raw)).toBe('test@example.com');
    for (const raw of ['', '   ', null, 'no-at-sign', 'two words@example.com', '@example.com']) expect(normaliseEmail(raw)).toBeNull();
    expect(sha256Hex(normaliseEmail(' Test@Example.COM ')!)).toBe(SHA['test@example.com']);
  });
});

describe('phone normalisation (E.164 digits, no +)', () => {
  it.each([
    ['+44 7700 900123', null, '447700900123'],
    ['+44 (0)7700 900123', null, '447700900123'],
    ['0044 7700-900-123', null, '447700900123'],
    ['07700 900123', 'GB', '447700900123'],
    ['7700 900123', 'GB', '447700900123'],
    ['(212) 555-0100', 'US', '12125550100'],
    ['1 (212) 555-0100', 'US', '12125550100'],
    ['212.555.0100', 'CA', '12125550100'],
    ['06 12 34 56 78', 'FR', '33612345678'],
    ['06 1234 5678', 'IT', '390612345678'], // Italy keeps the 0 after its country code
    ['0612 345678', 'IE', '353612345678'],
  ])('%s (%s) -> %s', (raw, country, expected) => {
    expect(normalisePhone(raw, country)).toBe(expected);
  });

  it('gives up instead of guessing', () => {
    expect(normalisePhone('07700 900123', null)).toBeNull(); // national number, country unknown
    expect(normalisePhone('07700 900123', 'XX')).toBeNull();
    expect(normalisePhone('12345', 'GB')).toBeNull(); // too short
    expect(normalisePhone('+1234567890123456', null)).toBeNull(); // longer than E.164 allows
    expect(normalisePhone('+0 123 456 789', null)).toBeNull();
    expect(normalisePhone('', 'GB')).toBeNull();
    expect(normalisePhone(null, 'GB')).toBeNull();
    expect(sha256Hex(normalisePhone('07700 900123', 'GB')!)).toBe(SHA['447700900123']);
  });
});

describe('country codes', () => {
  it('maps the names in the data, codes and aliases to ISO 3166-1 alpha-2', () => {
    expect(countryCode('United Kingdom')).toBe('GB');
    expect(countryCode('EIRE')).toBe('IE');
    expect(countryCode('RSA')).toBe('ZA');
    expect(countryCode('USA')).toBe('US');
    expect(countryCode('Czech Republic')).toBe('CZ');
    expect(countryCode('France')).toBe('FR');
    expect(countryCode(' germany ')).toBe('DE');
    expect(countryCode('gb')).toBe('GB');
    expect(countryCode('UK')).toBe('GB');
    for (const none of ['Channel Islands', 'European Community', 'Unspecified', 'XX', '', null]) expect(countryCode(none)).toBeNull();
  });
});

describe('ad platform presets', () => {
  const columns = ['externalId', 'email', 'phone', 'firstName', 'lastName', 'country', 'postalCode'];
  const row = ['c-1', ' Test@Example.COM', '07700 900123', 'Zoë', "O'Brien", 'United Kingdom', 'SW1A 1AA'];

  it('Google: its column names, ISO country, E.164 phone with + (not neutralised)', () => {
    const r = presetLayout('google', columns, false);
    if (!r.ok) throw new Error(r.message);
    expect(r.layout.header).toEqual(['Email', 'Phone', 'First Name', 'Last Name', 'Country', 'Zip']);
    expect(r.layout.row(row)).toEqual(['test@example.com', '+447700900123', 'Zoë', "O'Brien", 'GB', 'SW1A 1AA']);
    expect(r.layout.kinds[1]).toBe('phone');
  });

  it('Google hashed: SHA-256 of the normalised e-mail and of the E.164 phone with its +', () => {
    const r = presetLayout('google', columns, true);
    if (!r.ok) throw new Error(r.message);
    expect(r.layout.row(row)).toEqual([SHA['test@example.com'], SHA['+447700900123'], 'Zoë', "O'Brien", 'GB', 'SW1A 1AA']);
  });

  it('Meta: fn/ln, lower-case country and zip, phone digits; hashed phone without +', () => {
    const plain = presetLayout('meta', columns, false);
    const hashed = presetLayout('meta', columns, true);
    if (!plain.ok || !hashed.ok) throw new Error('layout');
    expect(plain.layout.header).toEqual(['email', 'phone', 'fn', 'ln', 'country', 'zip']);
    expect(plain.layout.row(row)).toEqual(['test@example.com', '447700900123', 'Zoë', "O'Brien", 'gb', 'sw1a1aa']);
    expect(hashed.layout.row(row)).toEqual([SHA['test@example.com'], SHA['447700900123'], 'Zoë', "O'Brien", 'gb', 'sw1a1aa']);
    const us = hashed.layout.row(['c-2', null, '(212) 555-0100', null, null, 'USA', null]);
    expect(us).toEqual([null, SHA['12125550100'], null, null, 'us', null]);
  });

  it('leaves out columns the version did not freeze, and refuses a version with no e-mail and no phone', () => {
    const r = presetLayout('google', ['externalId', 'email', 'country'], false);
    if (!r.ok) throw new Error(r.message);
    expect(r.layout.header).toEqual(['Email', 'Country']);
    expect(r.layout.row(['c-1', 'A@B.C', 'EIRE'])).toEqual(['a@b.c', 'IE']);
    expect(presetLayout('meta', ['externalId', 'country'], false)).toMatchObject({ ok: false, message: expect.stringMatching(/needs an e-mail or phone column/) });
  });
});
