import type { Queryable } from '../db/pool';

/**
 * Recomputes the computed metric columns of profiles from their events, in one set-based
 * UPDATE ... FROM (aggregate): for the given profile ids, or for every profile when `profileIds`
 * is null or omitted. Profiles without events get zero counts and empty dates.
 *
 * - order_count: number of `order` events
 * - total_spent: net revenue, orders plus cancellations (whose revenue is negative)
 * - cancellation_count: number of `order_cancelled` events
 * - first_order_at / last_order_at: earliest and latest `order` event
 * - last_activity_at: latest event of any type
 *
 * Rows whose metrics already hold these values are not written, so a recompute with no new
 * events changes nothing. Returns how many profiles changed.
 */
export async function recomputeMetrics(client: Queryable, profileIds?: number[] | null): Promise<number> {
  const aggregates = `count(e.id) FILTER (WHERE e.type = 'order')::int AS order_count,
                coalesce(sum(e.revenue) FILTER (WHERE e.type IN ('order', 'order_cancelled')), 0)::numeric(14, 2) AS total_spent,
                count(e.id) FILTER (WHERE e.type = 'order_cancelled')::int AS cancellation_count,
                min(e.occurred_at) FILTER (WHERE e.type = 'order') AS first_order_at,
                max(e.occurred_at) FILTER (WHERE e.type = 'order') AS last_order_at,
                max(e.occurred_at) AS last_activity_at`;
  // For given ids, one index range of events per profile (LATERAL): a join over all events would read
  // the whole table for a handful of profiles, and grow with it. For all profiles, one grouped join.
  const source = profileIds
    ? `SELECT pr.id, a.* FROM (SELECT DISTINCT unnest($1::int[]) AS id) pr
         CROSS JOIN LATERAL (SELECT ${aggregates} FROM events e WHERE e.profile_id = pr.id) a`
    : `SELECT pr.id, ${aggregates} FROM profiles pr LEFT JOIN events e ON e.profile_id = pr.id GROUP BY pr.id`;
  const result = await client.query(
    `UPDATE profiles p
        SET order_count = m.order_count,
            total_spent = m.total_spent,
            cancellation_count = m.cancellation_count,
            first_order_at = m.first_order_at,
            last_order_at = m.last_order_at,
            last_activity_at = m.last_activity_at
       FROM (${source}) m
      WHERE p.id = m.id
        AND (p.order_count, p.total_spent, p.cancellation_count, p.first_order_at, p.last_order_at, p.last_activity_at)
            IS DISTINCT FROM
            (m.order_count, m.total_spent, m.cancellation_count, m.first_order_at, m.last_order_at, m.last_activity_at)`,
    profileIds ? [profileIds] : [],
  );
  return result.rowCount ?? 0;
}
