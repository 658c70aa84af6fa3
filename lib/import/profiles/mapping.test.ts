import { describe, expect, it } from 'vitest';
import {
  checkHeader,
  detectDelimiter,
  EMPTY_STATS,
  inferTraitType,
  resolveMapping,
  rowId,
  suggestMapping,
  traitKeyFromHeader,
  type ColumnStats,
  type ImportMapping,
} from './mapping';

const stats = (s: Partial<ColumnStats>): ColumnStats => ({ ...EMPTY_STATS, ...s });

describe('detectDelimiter', () => {
  it.each([
    ['"age";"job";"marital"', ';'],
    ['id,email,first name', ','],
    ['id\temail\tcity', '\t'],
    ['"a,b";"c";"d"', ';'], // commas inside quotes do not count
    ['"name; with semicolon",email,city', ','],
    ['single', ','],
    ['a;b,c', ','], // a tie goes to the comma
  ])('%j -> %j', (line, expected) => {
    expect(detectDelimiter(line)).toBe(expected);
  });
});

describe('checkHeader', () => {
  it('trims names and names empty ones by position', () => {
    expect(checkHeader([' id ', '', 'E-mail'])).toEqual({ ok: true, header: ['id', 'Column 2', 'E-mail'] });
  });
  it.each([
    [['58', '2143', '5'], /only numbers/],
    [['ann@example.com', 'Ann'], /e-mail address/],
    [['', ' '], /empty/],
    [[`${'x'.repeat(201)}`], /longer than 200/],
  ])('refuses a first row that is data, not names: %j', (cells, message) => {
    const r = checkHeader(cells);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });
});

describe('traitKeyFromHeader', () => {
  it.each([
    ['age', 'age'],
    ['Date of birth', 'date_of_birth'],
    ['lastPurchase', 'last_purchase'],
    ['Café crème', 'cafe_creme'],
    ['2nd address', 'c_2nd_address'],
    ['%%%', 'column_4'],
    ['Email', 'email_trait'], // a built-in field's name is not a trait key
    ['x'.repeat(80), 'x'.repeat(63)],
  ])('%j -> %j', (header, key) => {
    expect(traitKeyFromHeader(header, 3)).toBe(key);
  });
});

describe('inferTraitType', () => {
  it('number when every filled cell is a number without a leading zero', () => {
    expect(inferTraitType(stats({ filled: 10, numbers: 10 }))).toBe('number');
    expect(inferTraitType(stats({ filled: 10, numbers: 10, leadingZeros: 1 }))).toBe('text'); // postal codes, ids: keep the zeros
    expect(inferTraitType(stats({ filled: 10, numbers: 9 }))).toBe('text');
  });
  it('boolean when every filled cell is yes/no or true/false; 0/1 stays a number', () => {
    expect(inferTraitType(stats({ filled: 7, yesNo: 7 }))).toBe('boolean');
    expect(inferTraitType(stats({ filled: 7, numbers: 7 }))).toBe('number');
    expect(inferTraitType(stats({ filled: 7, yesNo: 6 }))).toBe('text');
  });
  it('date when every filled cell is a day or an ISO time; empty columns are text', () => {
    expect(inferTraitType(stats({ filled: 3, dates: 3 }))).toBe('date');
    expect(inferTraitType(stats({ filled: 0 }))).toBe('text');
  });
});

const BANK = ['age', 'job', 'marital', 'education', 'default', 'balance', 'housing', 'loan', 'contact', 'day', 'month', 'duration', 'campaign', 'pdays', 'previous', 'poutcome', 'y'];

describe('suggestMapping', () => {
  it('the bank file: every column a trait of its inferred type, row numbers as ids (no id column)', () => {
    const n = 45211;
    const kinds: Record<string, Partial<ColumnStats>> = {
      age: { filled: n, numbers: n },
      balance: { filled: n, numbers: n },
      default: { filled: n, yesNo: n },
      housing: { filled: n, yesNo: n },
      loan: { filled: n, yesNo: n },
      y: { filled: n, yesNo: n },
      day: { filled: n, numbers: n },
      duration: { filled: n, numbers: n },
      campaign: { filled: n, numbers: n },
      pdays: { filled: n, numbers: n },
      previous: { filled: n, numbers: n },
    };
    const m = suggestMapping(BANK, BANK.map((h) => stats(kinds[h] ?? { filled: n })), []);
    expect(m.rowIds).toEqual({ prefix: '' });
    const byKey = Object.fromEntries(m.columns.map((c) => (c.kind === 'trait' ? [c.key, c.type] : ['?', c.kind])));
    expect(byKey).toMatchObject({ age: 'number', balance: 'number', default: 'boolean', housing: 'boolean', loan: 'boolean', y: 'boolean', job: 'text', marital: 'text', education: 'text', month: 'text' });
    expect(m.columns[0]).toEqual({ kind: 'trait', key: 'age', label: 'Age', type: 'number' });
  });

  it('maps known column names to fields (each field once), reuses registered traits with their type, skips empty columns', () => {
    const header = ['Customer ID', 'E-mail', 'First name', 'Surname', 'Country', 'Town', 'Newsletter', 'Email', 'score', 'empty'];
    const m = suggestMapping(header, header.map((h) => stats(h === 'empty' ? {} : { filled: 5, numbers: h === 'score' ? 5 : 0 })), [{ key: 'score', label: 'Score', type: 'text' }]);
    expect(m.columns).toEqual([
      { kind: 'field', field: 'externalId' },
      { kind: 'field', field: 'email' },
      { kind: 'field', field: 'firstName' },
      { kind: 'field', field: 'lastName' },
      { kind: 'field', field: 'country' },
      { kind: 'field', field: 'city' },
      { kind: 'field', field: 'emailConsent' },
      { kind: 'trait', key: 'email_trait', label: 'Email', type: 'text' }, // the second e-mail column does not take the field
      { kind: 'trait', key: 'score', label: 'Score', type: 'text' }, // registered as text: stays text
      { kind: 'skip' },
    ]);
    expect(m.rowIds).toBeNull();
  });
});

describe('resolveMapping', () => {
  const header = ['id', 'email', 'age', 'vip'];
  const base: ImportMapping = {
    columns: [
      { kind: 'field', field: 'externalId' },
      { kind: 'field', field: 'email' },
      { kind: 'trait', key: 'age', label: 'Age', type: 'number' },
      { kind: 'trait', key: 'vip', label: 'VIP', type: 'boolean' },
    ],
    rowIds: null,
  };

  it('resolves the key (external id first), fields by 1-based column and new traits', () => {
    const r = resolveMapping(base, header, [{ key: 'age', label: 'Age', type: 'number' }]);
    expect(r).toEqual({
      ok: true,
      mapping: {
        key: { by: 'externalId', column: 1 },
        fields: { externalId: 1, email: 2 },
        traits: [
          { column: 3, key: 'age', label: 'Age', type: 'number', isNew: false },
          { column: 4, key: 'vip', label: 'VIP', type: 'boolean', isNew: true },
        ],
      },
    });
    const byEmail = resolveMapping({ ...base, columns: [{ kind: 'skip' }, ...base.columns.slice(1)] }, header, []);
    expect(byEmail.ok && byEmail.mapping.key).toEqual({ by: 'email', column: 2 });
    const byRow = resolveMapping({ columns: [{ kind: 'skip' }, ...base.columns.slice(1)], rowIds: { prefix: 'bank' } }, header, []);
    expect(byRow.ok && byRow.mapping.key).toEqual({ by: 'rowNumber', prefix: 'bank' });
  });

  it('lists every problem: no key, a field twice, a trait twice, bad keys, a registered type changed, a bad prefix', () => {
    const problems = (m: ImportMapping, registered = [] as { key: string; label: string; type: 'text' | 'number' | 'date' | 'boolean' }[]) => {
      const r = resolveMapping(m, header, registered);
      return r.ok ? [] : r.problems;
    };
    expect(problems({ columns: [{ kind: 'skip' }, { kind: 'skip' }, base.columns[2]!, base.columns[3]!], rowIds: null })).toEqual([
      'Map a column to External id or Email, so that each row finds its profile (or use row numbers as ids).',
    ]);
    expect(problems({ columns: [base.columns[0]!, { kind: 'field', field: 'externalId' }, base.columns[2]!, { kind: 'trait', key: 'AGE', label: 'x', type: 'number' }], rowIds: null })).toEqual([
      'column 2 ("email") and column 1 ("id") are both mapped to External id.',
      'column 4 ("vip") and column 3 ("age") are both mapped to the trait "AGE".',
    ]);
    expect(problems(base, [{ key: 'age', label: 'Age', type: 'text' }])).toEqual(['column 3 ("age"): the trait "age" is registered as text; import it as text or choose another key.']);
    expect(problems({ ...base, columns: [base.columns[0]!, base.columns[1]!, { kind: 'trait', key: '1st', label: 'x', type: 'text' }, { kind: 'trait', key: 'country', label: 'x', type: 'text' }] })).toEqual([
      'column 3 ("age"): the trait key "1st" must start with a letter and have only letters, digits and _ (at most 63).',
      'column 4 ("vip"): "country" is a built-in field; choose another trait key.',
    ]);
    expect(problems({ ...base, rowIds: { prefix: 'x' } })).toEqual(['Choose either an external id column or row numbers as ids, not both.']);
    expect(problems({ columns: [{ kind: 'skip' }, { kind: 'skip' }, base.columns[2]!, base.columns[3]!], rowIds: { prefix: 'bad prefix!' } })).toHaveLength(1);
    expect(problems({ ...base, columns: base.columns.slice(0, 3) })).toEqual(['The mapping has 3 columns, the file 4.']);
    expect(problems({ columns: [base.columns[0]!, { kind: 'skip' }, { kind: 'skip' }, { kind: 'skip' }], rowIds: null })).toEqual(['Map at least one column to a field or a trait besides the key.']);
  });

  it('row ids count data rows from 1 (the header is file row 1)', () => {
    expect(rowId('bank', 2)).toBe('bank-1');
    expect(rowId('bank', 45212)).toBe('bank-45211');
  });
});
