import { getPool, type Queryable } from '../db/pool';

/** Read models for the profile pages. Search input is always a bound parameter, never a pattern. */

export const PROFILES_PAGE_SIZE = 50;
export const MAX_SEARCH_LENGTH = 200;

export interface ProfileListItem {
  id: number;
  externalId: string;
  email: string | null;
  country: string | null;
  orderCount: number;
  totalSpent: string;
  lastOrderAt: Date | null;
}

export interface ProfileSearch {
  /** Matches external id or email (contains, case-insensitive) or country (contains). */
  q?: string;
  /** Exact country (case-insensitive). */
  country?: string;
  page?: number;
}

export interface ProfilePage {
  rows: ProfileListItem[];
  total: number;
  page: number;
  pageCount: number;
}

export async function searchProfiles(search: ProfileSearch): Promise<ProfilePage> {
  const q = search.q?.trim().slice(0, MAX_SEARCH_LENGTH) || null;
  const country = search.country?.trim() || null;
  // strpos instead of LIKE: '%' and '_' typed by a person are ordinary characters.
  const where = `($1::text IS NULL
                  OR strpos(lower(p.external_id), lower($1)) > 0
                  OR strpos(lower(coalesce(p.email, '')), lower($1)) > 0
                  OR strpos(lower(coalesce(p.country, '')), lower($1)) > 0)
             AND ($2::text IS NULL OR lower(p.country) = lower($2))`;
  const pool = getPool();
  const totalResult = await pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM profiles p WHERE ${where}`, [q, country]);
  const total = totalResult.rows[0]?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PROFILES_PAGE_SIZE));
  const page = Math.min(Math.max(1, Number.isInteger(search.page) ? search.page! : 1), pageCount);
  const rows = await pool.query<ProfileListItem>(
    `SELECT p.id, p.external_id AS "externalId", p.email, p.country, p.order_count AS "orderCount",
            p.total_spent::text AS "totalSpent", p.last_order_at AS "lastOrderAt"
       FROM profiles p WHERE ${where}
      ORDER BY p.external_id
      LIMIT $3 OFFSET $4`,
    [q, country, PROFILES_PAGE_SIZE, (page - 1) * PROFILES_PAGE_SIZE],
  );
  return { rows: rows.rows, total, page, pageCount };
}

/** Countries present in the data, for the filter. */
export async function listCountries(): Promise<string[]> {
  const result = await getPool().query<{ country: string }>(
    `SELECT DISTINCT country FROM profiles WHERE country IS NOT NULL AND country <> '' ORDER BY country`,
  );
  return result.rows.map((r) => r.country);
}

export interface ProfileDetail {
  id: number;
  externalId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  country: string | null;
  city: string | null;
  emailConsent: boolean | null;
  traits: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  orderCount: number;
  totalSpent: string;
  cancellationCount: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  lastActivityAt: Date | null;
  /** As the rule field "Average order value" computes it (numeric, rounded to cents); null without orders. */
  averageOrderValue: string | null;
}

export async function getProfile(id: number, db: Queryable = getPool()): Promise<ProfileDetail | null> {
  const result = await db.query<ProfileDetail>(
    `SELECT id, external_id AS "externalId", email, first_name AS "firstName", last_name AS "lastName", country, city,
            email_consent AS "emailConsent", traits, created_at AS "createdAt", updated_at AS "updatedAt",
            order_count AS "orderCount", total_spent::text AS "totalSpent", cancellation_count AS "cancellationCount",
            first_order_at AS "firstOrderAt", last_order_at AS "lastOrderAt", last_activity_at AS "lastActivityAt",
            CASE WHEN order_count > 0 THEN round(total_spent / order_count, 2)::text END AS "averageOrderValue"
       FROM profiles WHERE id = $1`,
    [id],
  );
  return result.rows[0] ?? null;
}

export interface ProfileTag {
  segmentId: number;
  segmentName: string;
  status: 'ACTIVE' | 'PAUSED';
  enteredAt: Date;
}

/** The profile's current segment tags with the time each was gained. */
export async function getProfileTags(profileId: number): Promise<ProfileTag[]> {
  const result = await getPool().query<ProfileTag>(
    `SELECT s.id AS "segmentId", s.name AS "segmentName", s.status, sm.entered_at AS "enteredAt"
       FROM segment_memberships sm JOIN segments s ON s.id = sm.segment_id
      WHERE sm.profile_id = $1
      ORDER BY sm.entered_at DESC, s.name`,
    [profileId],
  );
  return result.rows;
}

export interface ProfileMembershipChange {
  id: number;
  segmentId: number;
  segmentName: string;
  change: 'ENTERED' | 'LEFT';
  at: Date;
  runId: number;
  /** What started the run (RunTrigger). */
  trigger: string;
  definitionVersion: number;
}

export async function getProfileHistory(profileId: number, limit = 100): Promise<ProfileMembershipChange[]> {
  const result = await getPool().query<ProfileMembershipChange>(
    `SELECT c.id, c.segment_id AS "segmentId", s.name AS "segmentName", c.change, c.at, c.run_id AS "runId",
            r.trigger::text AS trigger, c.definition_version AS "definitionVersion"
       FROM segment_membership_changes c JOIN segments s ON s.id = c.segment_id JOIN segment_runs r ON r.id = c.run_id
      WHERE c.profile_id = $1
      ORDER BY c.at DESC, c.id DESC
      LIMIT $2`,
    [profileId, limit],
  );
  return result.rows;
}

export interface ProfileEvent {
  id: number;
  type: string;
  occurredAt: Date;
  revenue: string | null;
  properties: Record<string, unknown>;
}

export async function getProfileEvents(profileId: number, limit = 50): Promise<ProfileEvent[]> {
  const result = await getPool().query<ProfileEvent>(
    `SELECT id, type, occurred_at AS "occurredAt", revenue::text AS revenue, properties
       FROM events WHERE profile_id = $1
      ORDER BY occurred_at DESC, id DESC
      LIMIT $2`,
    [profileId, limit],
  );
  return result.rows;
}
