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

/**
 * The CTEs, for a statement that inserts events, that add those events to their profiles' metrics:
 * `inserted` names the CTE of the inserted rows (profile_id, type, occurred_at, revenue). Counts and
 * the total grow by the new events, the dates move to the earlier first and later last ones, so when
 * the stored metrics were right they stay right, the same values recomputeMetrics gives, without
 * reading the profiles' earlier events (and in the statement that inserts, one round trip less).
 * Profiles whose metrics do not change are not written.
 */
export function addEventMetricsCtes(inserted: string): string {
  return `metric_delta AS (
       SELECT profile_id,
              count(*) FILTER (WHERE type = 'order')::int AS orders,
              coalesce(sum(revenue) FILTER (WHERE type IN ('order', 'order_cancelled')), 0)::numeric(14, 2) AS spent,
              count(*) FILTER (WHERE type = 'order_cancelled')::int AS cancellations,
              min(occurred_at) FILTER (WHERE type = 'order') AS first_order,
              max(occurred_at) FILTER (WHERE type = 'order') AS last_order,
              max(occurred_at) AS last_activity
         FROM ${inserted} GROUP BY profile_id
     ), metric_next AS (
       SELECT p.id, p.order_count + d.orders AS order_count, p.total_spent + d.spent AS total_spent,
              p.cancellation_count + d.cancellations AS cancellation_count,
              least(p.first_order_at, d.first_order) AS first_order_at, greatest(p.last_order_at, d.last_order) AS last_order_at,
              greatest(p.last_activity_at, d.last_activity) AS last_activity_at
         FROM profiles p JOIN metric_delta d ON d.profile_id = p.id
        WHERE d.orders > 0 OR d.cancellations > 0 OR d.spent <> 0 OR p.last_activity_at IS DISTINCT FROM greatest(p.last_activity_at, d.last_activity)
     ), metric_update AS (
       UPDATE profiles p
          SET order_count = n.order_count, total_spent = n.total_spent, cancellation_count = n.cancellation_count,
              first_order_at = n.first_order_at, last_order_at = n.last_order_at, last_activity_at = n.last_activity_at
         FROM metric_next n WHERE p.id = n.id
     )`;
}
