import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Test helper: writes a small hand-made CSV (optionally gzipped) to a fresh temporary folder. */
export function writeFixture(name: string, lines: string[], options: { gzip?: boolean } = {}): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'tagwise-import-')), name);
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, options.gzip ? gzipSync(text) : text);
  return file;
}

export const ONLINE_RETAIL_HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
export const ONLINE_RETAIL_II_HEADER = 'Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country';
