import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, neutraliseFormula, quoteField } from './write';

/** Reads CSV back with an independent RFC 4180 parser. */
const read = (text: string): string[][] => parse(text, { relax_column_count: false, record_delimiter: '\r\n' });

describe('quoting (RFC 4180)', () => {
  it('leaves plain fields alone and quotes only when needed, doubling quotes', () => {
    expect(quoteField('plain text')).toBe('plain text');
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('line\nbreak')).toBe('"line\nbreak"');
    expect(quoteField('cr\rhere')).toBe('"cr\rhere"');
    expect(quoteField('Zoë 👩‍💻')).toBe('Zoë 👩‍💻');
  });

  it('ends every record with CRLF, writes NULL as an empty field and a lone empty field as ""', () => {
    expect(csvRecord(['a', null, '', 'b'])).toBe('a,,,b\r\n');
    expect(csvRecord([null])).toBe('""\r\n');
    expect(read(csvRecord([null]) + csvRecord(['x']))).toEqual([[''], ['x']]);
  });

  it('round-trips hostile strings through a real CSV parser', () => {
    const hostile = [
      'O\'Brien, "the" boss',
      'multi\r\nline\nvalue\r',
      '"',
      '""',
      ',',
      'Zoë Ångström — 東京 👩‍💻🇬🇧',
      '\u00a0non-breaking\u200b',
      'a"b,c\nd',
      'trailing space ',
      "'; DROP TABLE profiles; --",
    ];
    const text = csvRecord(['h1', 'h2']) + hostile.map((v, i) => csvRecord([String(i), v])).join('');
    const records = read(text);
    expect(records[0]).toEqual(['h1', 'h2']);
    expect(records.slice(1).map((r) => r[1])).toEqual(hostile);
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text); // valid UTF-8 throughout
  });
});

describe('formula neutralisation', () => {
  it('prefixes a single quote to text cells that begin with = + - @ tab or CR', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(neutraliseFormula(`${start}x`)).toBe(`'${start}x`);
    }
    expect(neutraliseFormula('=HYPERLINK("http://evil.example","click")')).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(neutraliseFormula('a=1')).toBe('a=1'); // only the first character matters
    expect(neutraliseFormula(' =1')).toBe(' =1');
    expect(neutraliseFormula("'already")).toBe("'already");
  });

  it('neutralises negative-looking text, but keeps plain negative numbers in numeric cells', () => {
    expect(neutraliseFormula('-5')).toBe("'-5"); // text column: a city called "-5" is still text
    expect(neutraliseFormula('-5', 'number')).toBe('-5');
    expect(neutraliseFormula('-12.50', 'number')).toBe('-12.50');
    expect(neutraliseFormula('-2+3', 'number')).toBe("'-2+3"); // not a plain number: neutralised even in a number column
    expect(neutraliseFormula('-1e3', 'number')).toBe("'-1e3");
    expect(neutraliseFormula('+5', 'number')).toBe("'+5");
  });

  it('neutralises before quoting, so the quote sits inside the quoted field', () => {
    const cell = '=HYPERLINK("http://evil.example/?a,b","x")';
    const field = csvField(cell);
    expect(field).toBe(`"'=HYPERLINK(""http://evil.example/?a,b"",""x"")"`);
    expect(read(`${field}\r\n`)).toEqual([[`'${cell}`]]);
    expect(read(csvRecord(['\tcmd', '\r\nx', '@SUM(A1)']))).toEqual([["'\tcmd", "'\r\nx", "'@SUM(A1)"]]);
  });

  it('applies per-field kinds in a record', () => {
    expect(csvRecord(['-5', '-5', '=1'], ['text', 'number', 'number'])).toBe("'-5,-5,'=1\r\n");
  });
});
