import { describe, expect, it } from 'vitest';
import { definitionChanges, type VersionLike } from './definition-change';

const rule = (field: string, operator: string, value: unknown) => ({ field, operator, value });
const v = (number: number, rules: unknown, columns: string[], source: 'RULES' | 'UPLOAD' = 'RULES'): VersionLike => ({
  number,
  source,
  rules: source === 'RULES' ? rules : null,
  columns,
  upload: source === 'UPLOAD' ? { fileName: 'list.csv' } : null,
});

describe('definition change between versions', () => {
  const uk = rule('country', '=', 'United Kingdom');
  const repeat = rule('orderCount', '>=', 2);
  const versions = [
    v(1, { combinator: 'and', rules: [uk] }, ['externalId', 'email']),
    v(2, { combinator: 'and', rules: [uk] }, ['externalId', 'email']),
    v(3, { combinator: 'and', rules: [uk, repeat] }, ['email', 'externalId', 'lastOrderAt']),
    v(5, { combinator: 'or', rules: [uk, repeat] }, ['email', 'externalId', 'lastOrderAt']),
    v(6, null, ['email', 'externalId', 'lastOrderAt'], 'UPLOAD'),
  ];
  const changes = definitionChanges([...versions].reverse());

  it('describes the first version without a change', () => {
    expect(changes.get(1)).toMatchObject({ summary: 'Customers whose country is "United Kingdom"', previous: null, same: false, addedConditions: [] });
  });

  it('says when nothing changed', () => {
    expect(changes.get(2)).toMatchObject({ previous: 1, same: true });
  });

  it('lists added and removed conditions and columns, and a new column order', () => {
    expect(changes.get(3)).toMatchObject({
      summary: 'Customers whose country is "United Kingdom" and whose number of orders is at least 2',
      same: false,
      addedConditions: ['whose number of orders is at least 2'],
      removedConditions: [],
      addedColumns: ['last_order_at'],
      removedColumns: [],
      columnsReordered: true,
    });
  });

  it('compares with the previous existing version and notices a changed combinator', () => {
    expect(changes.get(5)).toMatchObject({ previous: 3, rulesReworded: true, addedConditions: [], same: false });
  });

  it('names an uploaded list and the change of source', () => {
    expect(changes.get(6)).toMatchObject({ summary: 'Uploaded list list.csv', sourceChanged: true, same: false });
  });
});
