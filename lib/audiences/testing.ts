import { getPool } from '../db/pool';

/** Factories for database tests of audiences: each call makes its own rows. */
let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export async function makeUser(role: 'ADMIN' | 'MARKETER' | 'VIEWER' = 'MARKETER'): Promise<number> {
  const r = await getPool().query<{ id: number }>(
    `INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ($1, 'Test user', 'x', $2::"Role", now()) RETURNING id`,
    [`${unique('user')}@example.test`, role],
  );
  return r.rows[0]!.id;
}

export interface ProfileSeed {
  externalId?: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  country?: string | null;
  city?: string | null;
  emailConsent?: boolean | null;
  orderCount?: number;
  totalSpent?: number | string;
  lastOrderAt?: string | null;
  createdAt?: string;
  traits?: Record<string, unknown>;
}

export async function makeProfile(seed: ProfileSeed = {}): Promise<number> {
  const r = await getPool().query<{ id: number }>(
    `INSERT INTO profiles (external_id, email, first_name, country, city, email_consent, order_count, total_spent, last_order_at, created_at, last_name, traits)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10::timestamptz, now()), $11, $12::jsonb) RETURNING id`,
    [
      seed.externalId ?? unique('cust'),
      seed.email ?? null,
      seed.firstName ?? null,
      seed.country ?? null,
      seed.city ?? null,
      seed.emailConsent ?? null,
      seed.orderCount ?? 0,
      seed.totalSpent ?? 0,
      seed.lastOrderAt ?? null,
      seed.createdAt ?? null,
      seed.lastName ?? null,
      JSON.stringify(seed.traits ?? {}),
    ],
  );
  return r.rows[0]!.id;
}

/** Inserts an audience row directly, bypassing validation (to store broken definitions on purpose). */
export async function makeAudienceRow(name: string, rules: unknown, columns: unknown): Promise<number> {
  const r = await getPool().query<{ id: number }>(
    `INSERT INTO audiences (name, rules, columns, updated_at) VALUES ($1, $2::jsonb, $3::jsonb, now()) RETURNING id`,
    [name, JSON.stringify(rules), JSON.stringify(columns)],
  );
  return r.rows[0]!.id;
}

export const countryIs = (country: string) => ({ combinator: 'and', rules: [{ field: 'country', operator: '=', value: country }] });
