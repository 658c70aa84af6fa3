import type { CellKind } from './write';

/**
 * Rewrites PostgreSQL's `COPY … TO STDOUT (FORMAT csv)` output into exactly the records csvRecord
 * (write.ts) writes for the same cells, so a download can use the server's own CSV writer (the
 * fastest way out of PostgreSQL) and still be our CSV. PostgreSQL already quotes every field that
 * holds a comma, quote, CR or LF and doubles quotes, as RFC 4180 asks; what differs, and is fixed
 * here byte by byte:
 * - records end with LF: written CRLF;
 * - formula neutralisation: a quote is put before a field (inside its quotes) that begins with
 *   = + - @ tab or CR, except plain numbers in numeric columns;
 * - an empty string is written `""` (to tell it from NULL) and `\.` is quoted: both unquoted here;
 * - a record of one empty field is an empty line: written `""`.
 * Records may be split across chunks: an incomplete record is kept for the next chunk.
 * Equality with csvRecord is checked on arbitrary text by copy-rewrite.db.test.ts.
 */
const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const APOSTROPHE = 0x27;
const MINUS = 0x2d;
const DOT = 0x2e;

function startsFormula(b: number): boolean {
  return b === 0x3d || b === 0x2b || b === MINUS || b === 0x40 || b === 0x09 || b === CR; // = + - @ tab CR
}

/** /^-?\d+(\.\d+)?$/ over bytes [start, end). */
function isPlainNumber(input: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (input[i] === MINUS) i++;
  let digits = 0;
  while (i < end && input[i]! >= 0x30 && input[i]! <= 0x39) {
    i++;
    digits++;
  }
  if (digits === 0) return false;
  if (i === end) return true;
  if (input[i] !== DOT) return false;
  i++;
  let fraction = 0;
  while (i < end && input[i]! >= 0x30 && input[i]! <= 0x39) {
    i++;
    fraction++;
  }
  return fraction > 0 && i === end;
}

export class CopyCsvRewriter {
  /** Complete records written so far. */
  records = 0;
  private carry: Buffer | null = null;
  private readonly numeric: boolean[];

  constructor(private readonly kinds: readonly CellKind[]) {
    this.numeric = kinds.map((k) => k === 'number');
  }

  /** The rewritten complete records of what has arrived; the rest waits for more input. */
  push(chunk: Uint8Array): Buffer {
    const input = this.carry ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.carry = null;
    const n = input.length;
    // Growth bound: with one column a 1-byte record ("\n") becomes 4 bytes (""\r\n); with more, a
    // field grows by at most its apostrophe and a record by its CR, which stays under double.
    const out = Buffer.allocUnsafe(this.kinds.length === 1 ? n * 4 + 8 : n * 2 + 8);
    let o = 0;
    let seg = 0; // start of the input bytes not yet copied to out
    let pos = 0;
    const flush = (to: number) => {
      if (to > seg) o += input.copy(out, o, seg, to);
    };
    const columns = this.kinds.length;

    records: while (pos < n) {
      const recordStart = pos;
      const outMark = o;
      const segMark = seg;
      let field = 0;
      let lastFieldEmpty = false;
      for (;;) {
        const fieldStart = pos;
        let innerStart: number;
        let innerEnd: number;
        let after: number;
        let quoted = false;
        let special = false;
        if (pos < n && input[pos] === QUOTE) {
          quoted = true;
          let j = pos + 1;
          for (;;) {
            if (j >= n) break;
            const b = input[j];
            if (b === QUOTE) {
              if (j + 1 >= n) {
                j = n; // cannot tell a closing quote from a doubled one yet
                break;
              }
              if (input[j + 1] === QUOTE) {
                special = true;
                j += 2;
                continue;
              }
              break;
            }
            if (b === COMMA || b === LF || b === CR) special = true;
            j++;
          }
          if (j >= n) break;
          innerStart = pos + 1;
          innerEnd = j;
          after = j + 1;
        } else {
          let j = pos;
          while (j < n && input[j] !== COMMA && input[j] !== LF) j++;
          innerStart = pos;
          innerEnd = j;
          after = j;
        }
        if (after >= n) break; // the field's delimiter has not arrived

        const empty = innerEnd === innerStart;
        const neutralise = !empty && startsFormula(input[innerStart]!) && !(this.numeric[field] && !quoted && isPlainNumber(input, innerStart, innerEnd));
        if (quoted && !special) {
          // Quoted only for PostgreSQL's sake ("" or "\."): write the value bare.
          flush(fieldStart);
          if (neutralise) out[o++] = APOSTROPHE;
          o += input.copy(out, o, innerStart, innerEnd);
          seg = after;
        } else if (neutralise) {
          flush(innerStart); // for a quoted field, that includes its opening quote
          out[o++] = APOSTROPHE;
          seg = innerStart;
        }
        lastFieldEmpty = empty;
        field++;
        const delimiter = input[after];
        pos = after + 1;
        if (delimiter === COMMA) continue;
        // LF: the record ends.
        flush(after);
        if (columns === 1 && lastFieldEmpty) {
          out[o++] = QUOTE;
          out[o++] = QUOTE;
        }
        out[o++] = CR;
        out[o++] = LF;
        seg = pos;
        this.records++;
        continue records;
      }
      // Incomplete record: undo its output and keep its bytes for the next chunk.
      o = outMark;
      seg = segMark;
      this.carry = Buffer.from(input.subarray(recordStart));
      return out.subarray(0, o);
    }
    flush(n);
    return out.subarray(0, o);
  }

  /** Call after the last chunk: anything left is a truncated record. */
  end(): void {
    if (this.carry && this.carry.length > 0) throw new Error(`COPY output ended inside a record (${this.carry.length} bytes left)`);
  }
}
