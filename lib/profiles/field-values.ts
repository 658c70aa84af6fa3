import { getPool } from '../db/pool';
import { findField } from '../rules/fields';

export interface FieldValue {
  value: string;
  /** How many profiles have it. */
  count: number;
}

export const FIELD_VALUES_LIMIT = 500;

/**
 * The values profiles actually have for a field that offers suggestions (lib/rules/fields.ts),
 * most common first, so the builder can offer "United Kingdom" and "EIRE" instead of a blank box.
 * Null for a field without suggestions. The column expression is the allow-list's own, never input.
 */
export async function listFieldValues(fieldName: string, limit = FIELD_VALUES_LIMIT): Promise<FieldValue[] | null> {
  const field = findField(fieldName);
  if (!field?.suggestions || !field.sql) return null;
  const result = await getPool().query<FieldValue>(
    `SELECT ${field.sql} AS value, count(*)::int AS count
       FROM profiles p
      WHERE btrim(coalesce(${field.sql}, '')) <> ''
      GROUP BY 1
      ORDER BY count DESC, value
      LIMIT $1`,
    [limit],
  );
  return result.rows;
}
