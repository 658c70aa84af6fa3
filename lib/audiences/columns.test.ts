import { describe, expect, it } from 'vitest';
import { cellsSql, DEFAULT_COLUMNS, EXPORT_COLUMNS, parseColumns } from './columns';
import { slugify, versionCsvFilename } from './slug';

describe('export column catalogue', () => {
  it('offers exactly the allow-listed keys with unique headers', () => {
    expect(EXPORT_COLUMNS.map((c) => c.key)).toEqual([
      'externalId', 'email', 'phone', 'firstName', 'lastName', 'country', 'postalCode', 'city', 'createdAt', 'emailConsent',
      'orderCount', 'totalSpent', 'averageOrderValue', 'cancellationCount', 'firstOrderAt', 'lastOrderAt', 'lastActivityAt',
    ]);
    expect(new Set(EXPORT_COLUMNS.map((c) => c.header)).size).toBe(EXPORT_COLUMNS.length);
    expect(parseColumns([...DEFAULT_COLUMNS]).ok).toBe(true);
  });

  it('renders timestamps as ISO 8601 UTC text', () => {
    const sql = cellsSql(EXPORT_COLUMNS.filter((c) => c.key === 'lastOrderAt'));
    expect(sql).toBe(`ARRAY[to_char(p.last_order_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')]::text[]`);
  });

  it('refuses lists that are empty, not lists, unknown, duplicated or not strings', () => {
    expect(parseColumns([])).toEqual({ ok: false, message: 'choose at least one column' });
    expect(parseColumns('email')).toMatchObject({ ok: false });
    expect(parseColumns(['email', 'p.password_hash'])).toEqual({ ok: false, message: 'unknown column "p.password_hash"' });
    expect(parseColumns(['email', 'email'])).toEqual({ ok: false, message: 'column "email" is chosen twice' });
    expect(parseColumns([1])).toMatchObject({ ok: false });
    expect(parseColumns(['toString'])).toMatchObject({ ok: false });
  });
});

describe('file names', () => {
  it('are safe ASCII slugs', () => {
    expect(slugify('Café VIPs (UK)!')).toBe('cafe-vips-uk');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('東京 👩‍💻')).toBe('audience');
    expect(slugify('a'.repeat(100))).toHaveLength(60);
    expect(versionCsvFilename('Lapsed "big" spenders\r\n', 3, 1250)).toBe('lapsed-big-spenders-v3-1250rows.csv');
  });
});
