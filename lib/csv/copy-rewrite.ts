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
const EMPTY = Buffer.alloc(0);

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
  private readonly numeric: boolean[];

  /**
   * `minChunk`: collect output until it reaches this many bytes before handing it out (fewer,
   * larger allocations on a long download; 0 hands out every push's output).
   */
  constructor(
    private readonly kinds: readonly CellKind[],
    private readonly minChunk = 0,
  ) {
    this.numeric = kinds.map((k) => k === 'number');
  }

  // Grow-only work buffers: the input (carried bytes + new chunk) and the output (collected up to
  // minChunk) are reused, so a long download allocates only the exact-size results it hands out.
  private input = Buffer.alloc(0);
  private output = Buffer.alloc(0);
  private carried = 0;
  private pending = 0;

  /** The rewritten complete records of what has arrived; the rest waits for more input. */
  push(chunk: Uint8Array): Buffer {
    const n = this.carried + chunk.byteLength;
    if (this.input.length < n) {
      const grown = Buffer.allocUnsafe(Math.max(n, this.input.length * 2));
      this.input.copy(grown, 0, 0, this.carried);
      this.input = grown;
    }
    const input = this.input;
    input.set(chunk, this.carried);
    this.carried = 0;
    // Growth bound: with one column a 1-byte record ("\n") becomes 4 bytes (""\r\n); with more, a
    // field grows by at most its apostrophe and a record by its CR, which stays under double.
    const bound = this.pending + (this.kinds.length === 1 ? n * 4 + 8 : n * 2 + 8);
    if (this.output.length < bound) {
      const grown = Buffer.allocUnsafe(Math.max(bound, this.output.length * 2));
      this.output.copy(grown, 0, 0, this.pending);
      this.output = grown;
    }
    const out = this.output;
    let o = this.pending;
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
      // Incomplete record: undo its output and keep its bytes (moved to the front) for the next chunk.
      o = outMark;
      seg = segMark;
      input.copy(input, 0, recordStart, n);
      this.carried = n - recordStart;
      return this.handOut(o);
    }
    flush(n);
    return this.handOut(o);
  }

  private handOut(o: number): Buffer {
    if (o < this.minChunk || o === 0) {
      this.pending = o;
      return EMPTY;
    }
    this.pending = 0;
    return Buffer.from(this.output.subarray(0, o));
  }

  /** Call after the last chunk: the output still collected; anything left over is a truncated record. */
  end(): Buffer {
    if (this.carried > 0) throw new Error(`COPY output ended inside a record (${this.carried} bytes left)`);
    const rest = Buffer.from(this.output.subarray(0, this.pending));
    this.pending = 0;
    return rest;
  }
}
