/**
 * RFC 4180 CSV writing, plus neutralisation of spreadsheet formulas.
 *
 * - A field is quoted when it contains a comma, a double quote, CR or LF; quotes inside are doubled.
 * - Records end with CRLF, including the last one; the first record is the header.
 * - The text is UTF-8, by default without a byte-order mark (a BOM would become part of the first
 *   header name for many parsers); Excel needs one to read UTF-8, so downloads offer it.
 * - NULL is an empty field, indistinguishable from an empty string, as in any CSV.
 *
 * Formula injection (OWASP "CSV injection"): spreadsheet programs run a cell that begins with
 * =, +, -, @, a tab or a carriage return as a formula (=HYPERLINK(...), -2+3+cmd|...). Such a cell
 * gets a leading single quote ('), which spreadsheets show as text and never evaluate. The quote is
 * visible to programs that read the file, which is the accepted price.
 * Exception: a cell declared numeric whose whole text is a plain decimal number (-5, -12.50) is left
 * alone, so negative amounts stay numbers in the spreadsheet; a bare number cannot carry a formula.
 * Likewise a cell declared 'phone' whose whole text is an E.164 number (+447700900123), which ad
 * platforms require with its '+'. Every other cell is neutralised.
 *
 * A byte-order mark is optional (`bom`), for spreadsheet programs that guess the encoding otherwise.
 */
export const CRLF = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const E164 = /^\+[1-9]\d{7,14}$/;

export type CellKind = 'text' | 'number' | 'phone';

export const UTF8_BOM = '\uFEFF';

export function neutraliseFormula(value: string, kind: CellKind = 'text'): string {
  if (!FORMULA_START.test(value)) return value;
  if (kind === 'number' && PLAIN_NUMBER.test(value)) return value;
  if (kind === 'phone' && E164.test(value)) return value;
  return `'${value}`;
}

export function quoteField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One field: neutralised, then quoted if needed. */
export function csvField(value: string | null | undefined, kind: CellKind = 'text'): string {
  if (value === null || value === undefined || value === '') return '';
  return quoteField(neutraliseFormula(value, kind));
}

/** One record with its CRLF. `kinds[i]` says whether field i is numeric (default text). */
export function csvRecord(values: readonly (string | null | undefined)[], kinds: readonly CellKind[] = []): string {
  const line = values.map((v, i) => csvField(v, kinds[i] ?? 'text')).join(',');
  // A lone empty field would be a blank line, which many readers skip: write it as "".
  return (line === '' && values.length === 1 ? '""' : line) + CRLF;
}
