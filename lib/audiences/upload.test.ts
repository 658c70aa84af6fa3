import { describe, expect, it } from 'vitest';
import { parseUploadCsv, UPLOAD_MAX_BYTES } from './upload';

const bytes = (text: string) => new TextEncoder().encode(text);
const keysOf = (text: string) => {
  const p = parseUploadCsv(bytes(text));
  return { by: p.matchedBy, column: p.column, keys: p.keys, lines: p.lines };
};

describe('reading an uploaded list', () => {
  it('finds the key column by header variants, whatever the case, spaces and punctuation', () => {
    for (const header of ['external_id', 'External ID', 'externalId', 'customer id', 'Customer_ID', 'CustomerID', 'id', ' ID ']) {
      expect(keysOf(`${header}\nc1\n`), header).toMatchObject({ by: 'externalId', keys: ['c1'] });
    }
    for (const header of ['email', 'Email', 'E-mail', 'e_mail', 'EMAIL ADDRESS', 'Mail']) {
      expect(keysOf(`${header}\nA@B.example\n`), header).toMatchObject({ by: 'email', keys: ['a@b.example'] });
    }
  });

  it('prefers the external id when both columns are there (an exported version has both)', () => {
    expect(keysOf('email,external_id,country\na@x.test,c1,UK\n')).toMatchObject({ by: 'externalId', column: 'external_id', keys: ['c1'] });
  });

  it('handles a BOM, CRLF, CR, blank lines, surrounding spaces, quotes, semicolons and tabs', () => {
    const expected = { by: 'externalId', keys: ['c1', 'c2', 'c3'] };
    expect(keysOf('\uFEFFexternal_id\r\nc1\r\n  c2  \r\n\r\n"c3"\r\n')).toMatchObject(expected);
    expect(keysOf('external_id\rc1\rc2\rc3')).toMatchObject(expected);
    expect(keysOf('name;Customer ID\nAnn; c1\nBob;c2\nCy;"c3"\n')).toMatchObject(expected);
    expect(keysOf('name\tid\nAnn\tc1\nBob\tc2\nCy\tc3\n')).toMatchObject(expected);
    // Line numbers are the file's own, blank lines counted, so a report points at the right line.
    expect(keysOf('external_id\r\nc1\r\n\r\nc2\r\n"multi\r\nline",x\r\nc3').lines).toEqual([2, 4, 5, 7]);
  });

  it('reads our own neutralised cells back without the quote', () => {
    expect(keysOf("external_id\n'-5\n'=1+1\n'plain\n").keys).toEqual(['-5', '=1+1', "'plain"]);
  });

  it('reads a headerless one-column list of e-mails, keeping empty cells as empty', () => {
    expect(keysOf('Ann@Example.test\nbob@example.test\n')).toMatchObject({ by: 'email', column: null, keys: ['ann@example.test', 'bob@example.test'], lines: [1, 2] });
    expect(keysOf('id,name\n,Ann\nc2,Bob\n').keys).toEqual(['', 'c2']);
  });

  it('is deterministic: the same bytes, the same result and checksum', () => {
    const text = '\uFEFFEmail\r\nA@x.test\r\nb@x.test\r\na@x.test\r\n';
    expect(parseUploadCsv(bytes(text))).toEqual(parseUploadCsv(bytes(text)));
    expect(parseUploadCsv(bytes(text)).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses files it cannot use, saying why', () => {
    expect(() => parseUploadCsv(bytes(''))).toThrow(/empty/);
    expect(() => parseUploadCsv(bytes('\n\n'))).toThrow(/no lines/);
    expect(() => parseUploadCsv(bytes('name,country\nAnn,UK\n'))).toThrow(/No column to match on.*external_id.*email.*"name,country"/);
    expect(() => parseUploadCsv(bytes('c1\nc2\n'))).toThrow(/No column to match on/);
    expect(() => parseUploadCsv(bytes('email\n'))).toThrow(/header \(email\) but no rows/);
    expect(() => parseUploadCsv(new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xe9, 0x0a]))).toThrow(/not UTF-8/);
    expect(() => parseUploadCsv(bytes('id\n"unterminated\n'))).toThrow(/not valid CSV/);
    expect(() => parseUploadCsv(new Uint8Array(UPLOAD_MAX_BYTES + 1))).toThrow(expect.objectContaining({ status: 413, message: expect.stringMatching(/larger than 20 MB/) }));
  });
});
