import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { listFieldValues } from './field-values';

useTestDatabase();

describe('listFieldValues', () => {
  beforeEach(async () => {
    const pool = getPool();
    await pool.query('TRUNCATE profiles RESTART IDENTITY CASCADE');
    await pool.query(
      `INSERT INTO profiles (external_id, country)
       SELECT 'p' || n, CASE WHEN n <= 5 THEN 'United Kingdom' WHEN n <= 7 THEN 'EIRE' WHEN n = 8 THEN 'France' WHEN n = 9 THEN '  ' WHEN n = 10 THEN '' END
         FROM generate_series(1, 12) n`,
    );
  });

  it('lists the distinct countries with their counts, most common first, without blanks', async () => {
    expect(await listFieldValues('country')).toEqual([
      { value: 'United Kingdom', count: 5 },
      { value: 'EIRE', count: 2 },
      { value: 'France', count: 1 },
    ]);
  });

  it('stops at the limit', async () => {
    expect((await listFieldValues('country', 2))?.map((v) => v.value)).toEqual(['United Kingdom', 'EIRE']);
  });

  it('offers nothing for a field without suggestions or an unknown one', async () => {
    expect(await listFieldValues('email')).toBeNull();
    expect(await listFieldValues('country; DROP TABLE profiles')).toBeNull();
    expect(await listFieldValues('orderCount')).toBeNull();
  });
});
