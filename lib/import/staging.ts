import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool';
import type { StagedLine } from './format';

/**
 * A temporary table holding the file's lines as typed rows, so that everything after the parse is
 * set-based SQL. The name is unique per import: on PGlite all connections share one session, so a
 * fixed name would collide with a concurrent (or crashed) import.
 * COPY FROM STDIN is not used: through pglite-socket it loses protocol sync (tried), while a
 * multi-row INSERT from unnest()ed arrays works the same on both databases.
 */
export interface StagingTable {
  name: string;
  insert(lines: StagedLine[], firstLineNo: number): Promise<void>;
  drop(): Promise<void>;
}

export async function createStagingTable(client: Queryable): Promise<StagingTable> {
  const name = `import_lines_${randomBytes(6).toString('hex')}`;
  await client.query(`
    CREATE TEMP TABLE ${name} (
      line_no        int NOT NULL,
      invoice_no     text NOT NULL,
      quantity       int NOT NULL,
      invoiced_local timestamp NOT NULL,
      unit_price     numeric NOT NULL,
      customer_id    text,
      country        text
    )`);
  return {
    name,
    async insert(lines, firstLineNo) {
      await client.query(
        `INSERT INTO ${name} (line_no, invoice_no, quantity, invoiced_local, unit_price, customer_id, country)
         SELECT $1::int + n - 1, i, q, d, p, c, co
           FROM unnest($2::text[], $3::int[], $4::timestamp[], $5::numeric[], $6::text[], $7::text[])
                WITH ORDINALITY AS t(i, q, d, p, c, co, n)`,
        [
          firstLineNo,
          lines.map((l) => l.invoice),
          lines.map((l) => l.quantity),
          lines.map((l) => l.invoicedLocal),
          lines.map((l) => l.price),
          lines.map((l) => l.customer),
          lines.map((l) => l.country),
        ],
      );
    },
    async drop() {
      await client.query(`DROP TABLE IF EXISTS ${name}`);
    },
  };
}
