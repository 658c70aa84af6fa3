import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { readStreamText } from '../csv/stream';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { findExportableVersion, parseCsvOptions, versionCsvDownload, versionCsvStream } from './export';
import { freezeAudience } from './freeze';
import { countryIs, makeAudienceRow, makeProfile, makeUser } from './testing';

useTestDatabase();
const NOW = new Date('2026-06-01T12:00:00Z');
let userId = 0;
beforeAll(async () => {
  userId = await makeUser();
});

async function downloadBytes(audienceId: number, number: number, pageSize?: number): Promise<Buffer> {
  const version = await findExportableVersion(audienceId, number);
  return Buffer.from(await new Response(versionCsvStream(version, pageSize)).arrayBuffer());
}
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('CSV download of a version', () => {
  it('is byte-identical before and after its profiles are updated and deleted', async () => {
    const country = 'Stableland';
    const ids = [];
    for (let i = 0; i < 7; i++) {
      ids.push(await makeProfile({ externalId: `st-${i}`, country, email: `st${i}@example.test`, orderCount: i, totalSpent: i * 10.5, lastOrderAt: `2026-05-0${i + 1}T10:00:00Z` }));
    }
    const audience = await makeAudienceRow('Stable set', countryIs(country), ['externalId', 'email', 'country', 'orderCount', 'totalSpent', 'lastOrderAt']);
    await freezeAudience(audience, userId, NOW);
    const before = await downloadBytes(audience, 1);

    await getPool().query(`UPDATE profiles SET email = 'changed@example.test', order_count = 99, total_spent = 1, country = 'Moved' WHERE id = $1`, [ids[0]]);
    await getPool().query(`DELETE FROM profiles WHERE id = ANY($1::int[])`, [ids.slice(1, 4)]);
    const after = await downloadBytes(audience, 1);

    expect(sha256(after)).toBe(sha256(before));
    expect(after.equals(before)).toBe(true);
    const text = before.toString('utf8');
    expect(text.split('\r\n')[0]).toBe('external_id,email,country,order_count,total_spent,last_order_at');
    expect(text.split('\r\n')[1]).toBe('st-0,st0@example.test,Stableland,0,0.00,2026-05-01T10:00:00.000Z');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parse(text)).toHaveLength(8);

    // A new freeze sees the new state; the old version still downloads the old bytes.
    await freezeAudience(audience, userId, NOW);
    expect((await downloadBytes(audience, 2)).toString('utf8').split('\r\n')).toHaveLength(1 + 3 + 1); // header, 3 rows, trailing ''
    expect((await downloadBytes(audience, 1)).equals(before)).toBe(true);
  });

  it('gives the same bytes whatever the page size, in row order', async () => {
    const country = 'Pageland';
    for (let i = 0; i < 11; i++) await makeProfile({ externalId: `pg-${String(i).padStart(2, '0')}`, country });
    const audience = await makeAudienceRow('Paged', countryIs(country), ['externalId']);
    await freezeAudience(audience, userId, NOW);
    // The default size takes the COPY path on PostgreSQL; the others are paged: the same bytes.
    const whole = await downloadBytes(audience, 1);
    for (const size of [1, 3, 11, 1000]) expect((await downloadBytes(audience, 1, size)).equals(whole)).toBe(true);
    expect(parse(whole.toString('utf8')).slice(1).map((r: string[]) => r[0])).toEqual(Array.from({ length: 11 }, (_, i) => `pg-${String(i).padStart(2, '0')}`));
  });

  it('escapes hostile values and neutralises formulas in real snapshot rows', async () => {
    const country = 'Hostile';
    const names = [
      '=HYPERLINK("http://evil.example/?q=1,2","Click me")',
      '+SUM(1,2)',
      '-2+3+cmd|\' /C calc\'!A0',
      '@import',
      '\tTabbed',
      '\rReturn',
      'Line one\r\nline two',
      'Quote " and, comma',
      'Zoë 東京 👩‍💻🎉',
      "O'Brien",
    ];
    for (const [i, name] of names.entries()) {
      await makeProfile({ externalId: `h-${i}`, country, firstName: name, city: i === 0 ? '-5' : null, totalSpent: i === 0 ? -5 : 7 });
    }
    const audience = await makeAudienceRow('Hostile', countryIs(country), ['externalId', 'firstName', 'city', 'totalSpent', 'emailConsent']);
    await freezeAudience(audience, userId, NOW);
    const bytes = await downloadBytes(audience, 1);
    const text = bytes.toString('utf8');
    expect(Buffer.from(text, 'utf8').equals(bytes)).toBe(true);
    const records: string[][] = parse(text);
    expect(records[0]).toEqual(['external_id', 'first_name', 'city', 'total_spent', 'email_consent']);
    const firstNames = records.slice(1).map((r) => r[1]);
    expect(firstNames).toEqual([
      `'=HYPERLINK("http://evil.example/?q=1,2","Click me")`,
      `'+SUM(1,2)`,
      `'-2+3+cmd|' /C calc'!A0`,
      `'@import`,
      `'\tTabbed`,
      `'\rReturn`,
      'Line one\r\nline two',
      'Quote " and, comma',
      'Zoë 東京 👩‍💻🎉',
      "O'Brien",
    ]);
    // The text city "-5" is neutralised; the numeric total -5.00 stays a number; NULL is an empty cell.
    expect(records[1]!.slice(2)).toEqual(["'-5", '-5.00', '']);
    expect(records[2]!.slice(2)).toEqual(['', '7.00', '']);
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example/?q=1,2"",""Click me"")"');
  });

  it('names the file after the audience, version and rows, and 404s an unknown version', async () => {
    const audience = await makeAudienceRow('Café VIPs (UK) — “summer”/../2026', countryIs('Nowhere'), ['externalId']);
    await freezeAudience(audience, userId, NOW);
    const version = await findExportableVersion(audience, 1);
    expect(version.filename).toBe('cafe-vips-uk-summer-2026-v1-0rows.csv');
    expect((await downloadBytes(audience, 1)).toString('utf8')).toBe('external_id\r\n');
    await expect(findExportableVersion(audience, 2)).rejects.toMatchObject({ status: 404 });
    await expect(findExportableVersion(987_654, 1)).rejects.toMatchObject({ status: 404 });
  });
});

describe('download options', () => {
  async function bytesWith(audienceId: number, number: number, query: string): Promise<Buffer> {
    const version = await findExportableVersion(audienceId, number);
    const download = versionCsvDownload(version, parseCsvOptions(new URLSearchParams(query)));
    return Buffer.from(await new Response(download.stream).arrayBuffer());
  }

  it('adds a BOM on request and nothing else changes', async () => {
    const audience = await makeAudienceRow('Bom', countryIs('Bomland'), ['externalId', 'firstName']);
    await makeProfile({ externalId: 'bom-1', country: 'Bomland', firstName: 'Zoë' });
    await freezeAudience(audience, userId, NOW);
    const plain = await bytesWith(audience, 1, '');
    const bom = await bytesWith(audience, 1, 'bom=1');
    expect([...bom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bom.subarray(3).equals(plain)).toBe(true);
    expect(plain.toString('utf8')).toBe('external_id,first_name\r\nbom-1,Zoë\r\n');
  });

  it('writes ad-platform presets from the frozen cells, phone and postal code read from traits at freeze time', async () => {
    const country = 'United Kingdom';
    const rules = { combinator: 'and', rules: [{ field: 'city', operator: '=', value: 'Presetton' }] };
    await makeProfile({ externalId: 'ps-1', email: ' Ann@Example.COM', firstName: 'Ann', lastName: 'Lee', country, city: 'Presetton', traits: { phone: '07700 900123', postalCode: 'SW1A 1AA' } });
    await makeProfile({ externalId: 'ps-2', email: null, firstName: '=cmd', country: 'EIRE', city: 'Presetton', traits: { phone: '+353 1 234 5678' } });
    const audience = await makeAudienceRow('Presets', rules, ['externalId', 'email', 'phone', 'firstName', 'lastName', 'country', 'postalCode']);
    await freezeAudience(audience, userId, NOW);
    // Editing the profile later changes nothing in the files of v1.
    await getPool().query(`UPDATE profiles SET traits = '{"phone":"+1 212 555 0100"}', email = 'other@example.test' WHERE external_id = 'ps-1'`);

    const google = (await bytesWith(audience, 1, 'preset=google')).toString('utf8');
    expect(google).toBe('Email,Phone,First Name,Last Name,Country,Zip\r\nann@example.com,+447700900123,Ann,Lee,GB,SW1A 1AA\r\n,+35312345678,\'=cmd,,IE,\r\n');
    const meta = (await bytesWith(audience, 1, 'preset=meta&hash=sha256')).toString('utf8').split('\r\n');
    expect(meta[0]).toBe('email,phone,fn,ln,country,zip');
    expect(meta[1]).toBe(`${sha256('ann@example.com')},${sha256('447700900123')},Ann,Lee,gb,sw1a1aa`);
    expect(meta[2]).toBe(`,${sha256('35312345678')},'=cmd,,ie,`);
    const version = await findExportableVersion(audience, 1);
    expect(versionCsvDownload(version, parseCsvOptions(new URLSearchParams('preset=meta&hash=1'))).filename).toBe('presets-v1-2rows-meta-sha256.csv');
  });

  it('refuses unknown options and presets a version cannot fill', async () => {
    expect(() => parseCsvOptions(new URLSearchParams('preset=linkedin'))).toThrow(/Unknown preset "linkedin"/);
    expect(() => parseCsvOptions(new URLSearchParams('hash=1'))).toThrow(/Hashing applies to an export preset/);
    expect(() => parseCsvOptions(new URLSearchParams('bom=maybe'))).toThrow(/Unknown value for bom/);
    expect(parseCsvOptions(new URLSearchParams(''))).toEqual({ bom: false, preset: null, hashed: false });
    const audience = await makeAudienceRow('Ids only', countryIs('Idland'), ['externalId']);
    await freezeAudience(audience, userId, NOW);
    const version = await findExportableVersion(audience, 1);
    expect(() => versionCsvDownload(version, parseCsvOptions(new URLSearchParams('preset=google')))).toThrow(/needs an e-mail or phone column/);
  });
});
