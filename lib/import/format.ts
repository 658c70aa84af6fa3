import { ExpectedError } from '../auth/errors';

/** An import problem caused by the file or the command line: its message is meant for the person running it. */
export class ImportError extends ExpectedError {
  constructor(message: string) {
    super(message, 422);
    this.name = 'ImportError';
  }
}

export type SourceFormat = 'online-retail' | 'online-retail-ii';

/** Where each column we use sits in a row of the file. StockCode and Description are not needed. */
export interface ColumnIndexes {
  invoice: number;
  quantity: number;
  invoiceDate: number;
  price: number;
  customer: number;
  country: number;
}

// UCI's two releases of the same shop's data name three columns differently.
const HEADERS: Record<SourceFormat, Record<keyof ColumnIndexes, string>> = {
  'online-retail': {
    invoice: 'InvoiceNo',
    quantity: 'Quantity',
    invoiceDate: 'InvoiceDate',
    price: 'UnitPrice',
    customer: 'CustomerID',
    country: 'Country',
  },
  'online-retail-ii': {
    invoice: 'Invoice',
    quantity: 'Quantity',
    invoiceDate: 'InvoiceDate',
    price: 'Price',
    customer: 'Customer ID',
    country: 'Country',
  },
};

export function detectFormat(header: string[]): { format: SourceFormat; columns: ColumnIndexes } {
  const names = header.map((h) => h.trim().toLowerCase());
  for (const format of Object.keys(HEADERS) as SourceFormat[]) {
    const wanted = HEADERS[format];
    const columns = Object.fromEntries(
      Object.entries(wanted).map(([key, name]) => [key, names.indexOf(name.toLowerCase())]),
    ) as unknown as ColumnIndexes;
    if (Object.values(columns).every((i) => i >= 0)) return { format, columns };
  }
  const separator = header.length === 1 && /[\t;]/.test(header[0] ?? '') ? ` It seems to use ${header[0]!.includes('\t') ? 'tabs' : 'semicolons'} between columns; commas are expected.` : '';
  const shown = separator ? `${header[0]!.slice(0, 120)}…` : header.join(', ');
  const expected = Object.values(HEADERS)
    .map((h) => Object.values(h).join(', '))
    .join('\n  or ');
  throw new ImportError(
    `This does not look like a UCI Online Retail file.${separator} Its header is:\n  ${shown || '(empty)'}\n` +
      `Expected the columns\n  ${expected}`,
  );
}

/** One invoice line as it goes into the staging table; the date stays UK wall-clock time. */
export interface StagedLine {
  invoice: string;
  quantity: number;
  invoicedLocal: string; // 'YYYY-MM-DD HH:MM:SS'
  price: string; // decimal text, kept exact
  customer: string | null;
  country: string | null;
}

const INTEGER = /^-?\d{1,10}$/;
const DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d{1,3})?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/; // other copies of the data: 12/1/2010 8:26
const FLOAT_ID = /^(\d+)\.0+$/; // ids read through a spreadsheet or pandas: 17850.0

/** Checks and normalises one data row; `row` is its 1-based number among the data rows. */
export function readLine(record: string[], columns: ColumnIndexes, row: number): StagedLine {
  const cell = (i: number) => (record[i] ?? '').trim();
  const fail = (what: string): never => {
    throw new ImportError(`Data row ${row.toLocaleString('en')}: ${what}`);
  };
  const invoice = cell(columns.invoice);
  if (!invoice) fail('the invoice number is empty');
  const quantityText = cell(columns.quantity);
  const quantity = Number(quantityText);
  if (!INTEGER.test(quantityText) || Math.abs(quantity) > 2_000_000_000) fail(`quantity "${quantityText}" is not a whole number`);
  const price = cell(columns.price);
  if (!DECIMAL.test(price)) fail(`price "${price}" is not a number`);
  const dateText = cell(columns.invoiceDate);
  const invoicedLocal = normaliseDate(dateText) ?? fail(`invoice date "${dateText}" is not a date and time (YYYY-MM-DD HH:MM:SS)`);
  const rawCustomer = cell(columns.customer);
  const customer = rawCustomer === '' ? null : (FLOAT_ID.exec(rawCustomer)?.[1] ?? rawCustomer);
  const country = cell(columns.country) || null;
  return { invoice, quantity, invoicedLocal, price, customer, country };
}

// The lines of one invoice share its date: remembering the last answer saves most of the work.
let lastDate: { text: string; value: string | null } = { text: '', value: null };

/** 'YYYY-MM-DD HH:MM[:SS]' or 'M/D/YYYY H:MM[:SS]' to 'YYYY-MM-DD HH:MM:SS', or null when it is not a real date and time. */
export function normaliseDate(text: string): string | null {
  if (text !== lastDate.text) lastDate = { text, value: parseDate(text) };
  return lastDate.value;
}

function parseDate(text: string): string | null {
  let parts: string[] | undefined;
  const iso = ISO_DATE.exec(text);
  if (iso) parts = [iso[1]!, iso[2]!, iso[3]!, iso[4]!, iso[5]!, iso[6] ?? '0'];
  const us = iso ? null : US_DATE.exec(text);
  if (us) parts = [us[3]!, us[1]!, us[2]!, us[4]!, us[5]!, us[6] ?? '0'];
  if (!parts) return null;
  const [y, mo, d, h, mi, s] = parts.map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const valid = probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  if (!valid) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${y}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${two(s)}`;
}
