import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { neutralisedSql, recordSql } from './sql';
import { csvRecord, type CellKind } from './write';

useTestDatabase();

async function renderInDatabase(cells: (string | null)[], kinds: CellKind[]): Promise<string> {
  const fields = kinds.map((k, i) => `${neutralisedSql(`r.cells[${i + 1}]`, k)} AS n${i + 1}`);
  const sql = `SELECT ${recordSql(kinds.map((_, i) => `s.n${i + 1}`))} AS line FROM (SELECT ${fields.join(', ')} FROM (SELECT $1::text[] AS cells) r) s`;
  return (await getPool().query<{ line: string }>(sql, [cells])).rows[0]!.line;
}

// Text that PostgreSQL can hold (no NUL), rich in what CSV and formula rules care about.
const piece = fc.oneof(
  fc.constantFrom('"', ',', '\r', '\n', '\r\n', '=', '+', '-', '@', '\t', "'", ' ', '0', '7', '.', '-5', '-1.25', 'e3', 'Zoë', '東京', '👩‍💻'),
  fc.string({ unit: 'grapheme', maxLength: 4 }).filter((s) => !s.includes('\u0000')),
);
const cell = fc.option(fc.array(piece, { maxLength: 6 }).map((p) => p.join('')), { nil: null, freq: 5 });
const kind = fc.constantFrom<CellKind>('text', 'number');

describe('CSV rendered by the database', () => {
  it('gives exactly the bytes of csvRecord for arbitrary cells and kinds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, kind), { minLength: 1, maxLength: 5 }), async (row) => {
        const cells = row.map(([c]) => c);
        const kinds = row.map(([, k]) => k);
        expect(await renderInDatabase(cells, kinds)).toBe(csvRecord(cells, kinds));
      }),
      { numRuns: 300 },
    );
  });

  it('matches on the cases write.test.ts pins down', async () => {
    const cases: [(string | null)[], CellKind[]][] = [
      [[null], ['text']],
      [[''], ['text']],
      [['a', null, '', 'b'], ['text', 'text', 'text', 'text']],
      [['-5', '-5', '=1', '-2+3', '-1e3', '+5'], ['text', 'number', 'number', 'number', 'number', 'number']],
      [['=HYPERLINK("http://evil.example/?a,b","x")', '\tcmd', '\r\nx', '@SUM(A1)'], ['text', 'text', 'text', 'text']],
    ];
    for (const [cells, kinds] of cases) expect(await renderInDatabase(cells, kinds)).toBe(csvRecord(cells, kinds));
  });
});
