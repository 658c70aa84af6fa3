import { describe, expect, it } from 'vitest';
import { detectFormat, ImportError, normaliseDate, readLine } from './format';
import { ONLINE_RETAIL_HEADER, ONLINE_RETAIL_II_HEADER } from './testing';

const header = (line: string) => line.split(',');

describe('detectFormat', () => {
  it('recognises both UCI releases by their column names, in any order and case', () => {
    expect(detectFormat(header(ONLINE_RETAIL_HEADER))).toEqual({
      format: 'online-retail',
      columns: { invoice: 0, quantity: 3, invoiceDate: 4, price: 5, customer: 6, country: 7 },
    });
    expect(detectFormat(header(ONLINE_RETAIL_II_HEADER)).format).toBe('online-retail-ii');
    expect(detectFormat(['country', 'customerid', 'unitprice', 'invoicedate', 'quantity', 'invoiceno']).columns).toEqual({
      invoice: 5,
      quantity: 4,
      invoiceDate: 3,
      price: 2,
      customer: 1,
      country: 0,
    });
  });

  it('refuses any other header and says what it expected', () => {
    const attempt = () => detectFormat(['ID', 'Year_Birth', 'Income']);
    expect(attempt).toThrow(ImportError);
    expect(attempt).toThrow(/header is:\n {2}ID, Year_Birth, Income/);
    expect(attempt).toThrow(/InvoiceNo, Quantity, InvoiceDate, UnitPrice, CustomerID, Country/);
    expect(() => detectFormat(header('InvoiceNo,Quantity,InvoiceDate,UnitPrice,Country'))).toThrow(/does not look like/);
  });
});

describe('readLine', () => {
  const { columns } = detectFormat(header(ONLINE_RETAIL_HEADER));
  const line = (cells: string) => readLine(cells.split(','), columns, 7);

  it('keeps prices exact, trims cells, and treats an empty customer as a guest', () => {
    expect(line('536365,85123A,HEART ,6,2010-12-01 08:26:00,2.55,17850,United Kingdom')).toEqual({
      invoice: '536365',
      quantity: 6,
      invoicedLocal: '2010-12-01 08:26:00',
      price: '2.55',
      customer: '17850',
      country: 'United Kingdom',
    });
    expect(line('C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,,')).toMatchObject({ customer: null, country: null, quantity: -1 });
  });

  it('reads ids written as floats and the M/D/YYYY dates of other copies', () => {
    expect(line('536365,X,Y,6,12/1/2010 8:26,2.55,17850.0,France')).toMatchObject({
      customer: '17850',
      invoicedLocal: '2010-12-01 08:26:00',
    });
  });

  it('names the data row and the bad value', () => {
    expect(() => line('536365,X,Y,six,2010-12-01 08:26:00,2.55,1,UK')).toThrow('Data row 7: quantity "six" is not a whole number');
    expect(() => line('536365,X,Y,1.5,2010-12-01 08:26:00,2.55,1,UK')).toThrow(/quantity "1.5"/);
    expect(() => line('536365,X,Y,1,2010-12-01 08:26:00,£2,1,UK')).toThrow('Data row 7: price "£2" is not a number');
    expect(() => line(',X,Y,1,2010-12-01 08:26:00,2,1,UK')).toThrow(/invoice number is empty/);
    expect(() => line('536365,X,Y,1,yesterday,2,1,UK')).toThrow(/invoice date "yesterday"/);
  });
});

describe('normaliseDate', () => {
  it('accepts real dates and times only', () => {
    expect(normaliseDate('2011-12-09 12:50:00')).toBe('2011-12-09 12:50:00');
    expect(normaliseDate('2011-12-09 7:05')).toBe('2011-12-09 07:05:00');
    expect(normaliseDate('2/29/2012 23:59')).toBe('2012-02-29 23:59:00');
    expect(normaliseDate('2011-02-29 10:00:00')).toBeNull();
    expect(normaliseDate('2011-13-01 10:00:00')).toBeNull();
    expect(normaliseDate('2011-12-09 24:00:00')).toBeNull();
    expect(normaliseDate('2011-12-09')).toBeNull();
    // the one-entry memo must not answer for a different input
    expect(normaliseDate('2011-12-09 12:50:00')).toBe('2011-12-09 12:50:00');
    expect(normaliseDate('2011-12-09 12:51:00')).toBe('2011-12-09 12:51:00');
  });
});
