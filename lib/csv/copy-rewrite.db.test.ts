import fc from 'fast-check';
import { to as copyTo } from 'pg-copy-streams';
import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { CopyCsvRewriter } from './copy-rewrite';
import { csvRecord, type CellKind } from './write';

useTestDatabase();

/** The rows through PostgreSQL's COPY CSV writer and the rewriter, fed in chunks of `chunk` bytes. */
async function viaCopy(rows: (string | null)[][], kinds: CellKind[], chunk: number, minChunk = 0): Promise<{ text: string; records: number }> {
  const client = await getPool().connect();
  try {
    await client.query('CREATE TEMP TABLE IF NOT EXISTS copy_cases (n int, cells text[])');
    await client.query('TRUNCATE copy_cases');
    await client.query(`INSERT INTO copy_cases SELECT o::int, ARRAY(SELECT jsonb_array_elements_text(r))::text[] FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(r, o)`, [
      JSON.stringify(rows.map((r) => r.map((c) => c ?? '\u0001null'))),
    ]);
    await client.query(`UPDATE copy_cases SET cells = array_replace(cells, E'\\x01null', NULL)`);
    const columns = kinds.map((_, i) => `cells[${i + 1}]`).join(', ');
    const stream = client.query(copyTo(`COPY (SELECT ${columns} FROM copy_cases ORDER BY n) TO STDOUT (FORMAT csv)`));
    const raw: Buffer[] = [];
    for await (const part of stream) raw.push(part as Buffer);
    const all = Buffer.concat(raw);
    const rewriter = new CopyCsvRewriter(kinds, minChunk);
    const out: Buffer[] = [];
    for (let i = 0; i < all.length; i += chunk) out.push(rewriter.push(all.subarray(i, i + chunk)));
    out.push(rewriter.end());
    return { text: Buffer.concat(out).toString('utf8'), records: rewriter.records };
  } finally {
    client.release();
  }
}

const piece = fc.oneof(
  fc.constantFrom('"', '""', ',', '\r', '\n', '\r\n', '=', '+', '-', '@', '\t', "'", ' ', '0', '7', '.', '-5', '-1.25', '\\.', '\\', 'Zoë', '東京', '👩‍💻'),
  fc.string({ unit: 'grapheme', maxLength: 4 }).filter((s) => !s.includes('\u0000') && !s.includes('\u0001')),
);
const cell = fc.option(fc.array(piece, { maxLength: 6 }).map((p) => p.join('')), { nil: null, freq: 5 });
const kind = fc.constantFrom<CellKind>('text', 'number');

describe('COPY output rewritten to our CSV', () => {
  it('equals csvRecord for arbitrary rows, kinds and chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(kind, { minLength: 1, maxLength: 4 }).chain((kinds) =>
          fc.tuple(fc.constant(kinds), fc.array(fc.tuple(...kinds.map(() => cell)), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 64 }), fc.constantFrom(0, 1, 16, 1024)),
        ),
        async ([kinds, rows, chunk, minChunk]) => {
          const { text, records } = await viaCopy(rows, kinds, chunk, minChunk);
          expect(text).toBe(rows.map((r) => csvRecord(r, kinds)).join(''));
          expect(records).toBe(rows.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('handles the cases PostgreSQL writes differently', async () => {
    const rows = [[''], [null], ['\\.'], ['-5'], ['=1'], ['a"b'], ['\r\nx']];
    for (const kinds of [['text'], ['number']] as CellKind[][]) {
      const { text } = await viaCopy(rows, kinds, 3);
      expect(text).toBe(rows.map((r) => csvRecord(r, kinds)).join(''));
    }
    expect((await viaCopy([['-5', '-5', '']], ['text', 'number', 'text'], 1000)).text).toBe("'-5,-5,\r\n");
  });

  it('refuses output that ends inside a record', () => {
    const rewriter = new CopyCsvRewriter(['text']);
    expect(rewriter.push(Buffer.from('a\n"b'))).toEqual(Buffer.from('a\r\n'));
    expect(() => rewriter.end()).toThrow(/ended inside a record/);
  });
});
