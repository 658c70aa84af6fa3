import { getPool } from '../db/pool';

/** Read models for the segment and run pages. Plain SQL with bound parameters; pages never build SQL. */

export const MEMBERS_PAGE_SIZE = 50;

/**
 * An active segment whose definition or status changed after its last evaluation (the run lock was
 * busy, or the evaluation failed) still shows the previous membership: the page says so.
 */
const PENDING = `(s.status = 'ACTIVE' AND (s.last_evaluated_at IS NULL OR s.last_evaluated_at < s.updated_at))`;

export interface SegmentListItem {
  id: number;
  name: string;
  description: string;
  status: 'ACTIVE' | 'PAUSED';
  version: number;
  memberCount: number;
  lastEvaluatedAt: Date | null;
  lastError: string | null;
  evaluationPending: boolean;
}

const LIST_COLUMNS = `s.id, s.name, s.description, s.status, s.version, s.member_count AS "memberCount",
  s.last_evaluated_at AS "lastEvaluatedAt", s.last_error AS "lastError", ${PENDING} AS "evaluationPending"`;

export async function listSegments(): Promise<SegmentListItem[]> {
  const result = await getPool().query<SegmentListItem>(`SELECT ${LIST_COLUMNS} FROM segments s ORDER BY lower(s.name), s.id`);
  return result.rows;
}

export interface SegmentDetail extends SegmentListItem {
  rules: unknown;
  createdAt: Date;
  updatedAt: Date;
  createdByName: string | null;
}

export async function getSegment(id: number): Promise<SegmentDetail | null> {
  const result = await getPool().query<SegmentDetail>(
    `SELECT ${LIST_COLUMNS}, s.rules, s.created_at AS "createdAt", s.updated_at AS "updatedAt", u.name AS "createdByName"
       FROM segments s LEFT JOIN users u ON u.id = s.created_by_id
      WHERE s.id = $1`,
    [id],
  );
  return result.rows[0] ?? null;
}

export interface SegmentMember {
  profileId: number;
  externalId: string;
  country: string | null;
  orderCount: number;
  totalSpent: string;
  enteredAt: Date;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageCount: number;
}

/** One page of current members, newest first. `page` starts at 1 and is clamped to the last page. */
export async function listSegmentMembers(segmentId: number, page: number): Promise<Page<SegmentMember>> {
  const pool = getPool();
  const totalResult = await pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM segment_memberships WHERE segment_id = $1`, [segmentId]);
  const total = totalResult.rows[0]?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE));
  const current = clampPage(page, pageCount);
  const rows = await pool.query<SegmentMember>(
    `SELECT p.id AS "profileId", p.external_id AS "externalId", p.country, p.order_count AS "orderCount",
            p.total_spent::text AS "totalSpent", sm.entered_at AS "enteredAt"
       FROM segment_memberships sm JOIN profiles p ON p.id = sm.profile_id
      WHERE sm.segment_id = $1
      ORDER BY sm.entered_at DESC, p.id
      LIMIT $2 OFFSET $3`,
    [segmentId, MEMBERS_PAGE_SIZE, (current - 1) * MEMBERS_PAGE_SIZE],
  );
  return { rows: rows.rows, total, page: current, pageCount };
}

export function clampPage(page: number, pageCount: number): number {
  if (!Number.isInteger(page) || page < 1) return 1;
  return Math.min(page, pageCount);
}

export interface SegmentRunPoint {
  runId: number;
  at: Date;
  members: number;
  entered: number;
  left: number;
  error: string | null;
}

/** Size and movement per run, oldest first (the charts), at most the last `limit` runs. */
export async function segmentHistory(segmentId: number, limit = 100): Promise<SegmentRunPoint[]> {
  const result = await getPool().query<SegmentRunPoint>(
    `SELECT * FROM (
       SELECT run_id AS "runId", at, members, entered, "left", error
         FROM segment_run_results WHERE segment_id = $1 ORDER BY at DESC, run_id DESC LIMIT $2
     ) recent ORDER BY at, "runId"`,
    [segmentId, limit],
  );
  return result.rows;
}

export interface MembershipChangeRow {
  id: number;
  change: 'ENTERED' | 'LEFT';
  at: Date;
  runId: number;
  definitionVersion: number;
  profileId: number;
  /** Null when the profile has since been deleted (history outlives profiles). */
  externalId: string | null;
}

export const CHANGES_PAGE_SIZE = 25;

/** One page of enters and leaves, newest first. `page` starts at 1 and is clamped to the last page. */
export async function listSegmentChanges(segmentId: number, page: number, pageSize = CHANGES_PAGE_SIZE): Promise<Page<MembershipChangeRow>> {
  const pool = getPool();
  const totalResult = await pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM segment_membership_changes WHERE segment_id = $1`, [segmentId]);
  const total = totalResult.rows[0]?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = clampPage(page, pageCount);
  const result = await pool.query<MembershipChangeRow>(
    `SELECT c.id, c.change, c.at, c.run_id AS "runId", c.definition_version AS "definitionVersion", c.profile_id AS "profileId",
            p.external_id AS "externalId"
       FROM segment_membership_changes c LEFT JOIN profiles p ON p.id = c.profile_id
      WHERE c.segment_id = $1
      ORDER BY c.at DESC, c.id DESC
      LIMIT $2 OFFSET $3`,
    [segmentId, pageSize, (current - 1) * pageSize],
  );
  return { rows: result.rows, total, page: current, pageCount };
}

export interface RunListItem {
  id: number;
  trigger: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  clock: Date;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  segments: number;
  failedSegments: number;
  entered: number;
  left: number;
}

/** The latest full runs (every segment, or a changed one and its dependents); real-time passes are summed up by realtimeActivity. */
export async function listRuns(limit = 50): Promise<RunListItem[]> {
  const result = await getPool().query<RunListItem>(
    `SELECT r.id, r.trigger, r.status, r.clock, r.started_at AS "startedAt", r.finished_at AS "finishedAt", r.error,
            count(rr.segment_id)::int AS segments,
            count(rr.error)::int AS "failedSegments",
            coalesce(sum(rr.entered), 0)::int AS entered,
            coalesce(sum(rr."left"), 0)::int AS "left"
       FROM (SELECT * FROM segment_runs WHERE trigger <> 'PROFILE_UPDATE' ORDER BY id DESC LIMIT $1) r
       LEFT JOIN segment_run_results rr ON rr.run_id = r.id
      GROUP BY r.id, r.trigger, r.status, r.clock, r.started_at, r.finished_at, r.error
      ORDER BY r.id DESC`,
    [limit],
  );
  return result.rows;
}

export interface RealtimeActivity {
  /** Over the last hour: passes that moved tags or failed (the others leave no run behind). */
  passes: number;
  failed: number;
  lastError: string | null;
  lastPassAt: Date | null;
  entered: number;
  left: number;
  /** Changes waiting for a pass now, and when the oldest was queued. */
  queued: number;
  oldestQueuedAt: Date | null;
}

/** The real-time re-evaluation of profiles after tracking calls (lib/segments/pending.ts), over the last hour. */
export async function realtimeActivity(): Promise<RealtimeActivity> {
  const result = await getPool().query<RealtimeActivity>(
    `WITH passes AS (
       SELECT id, status, error, finished_at FROM segment_runs WHERE trigger = 'PROFILE_UPDATE' AND started_at > now() - interval '1 hour'
     ), moved AS (
       SELECT count(*) FILTER (WHERE c.change = 'ENTERED')::int AS entered, count(*) FILTER (WHERE c.change = 'LEFT')::int AS "left"
         FROM segment_membership_changes c JOIN passes p ON p.id = c.run_id
     ), waiting AS (
       SELECT count(*)::int AS queued, min(queued_at) AS "oldestQueuedAt" FROM profile_evaluation_queue
     )
     SELECT (SELECT count(*) FROM passes)::int AS passes,
            (SELECT count(*) FROM passes WHERE status = 'FAILED')::int AS failed,
            (SELECT error FROM passes WHERE status = 'FAILED' ORDER BY id DESC LIMIT 1) AS "lastError",
            (SELECT max(finished_at) FROM passes) AS "lastPassAt",
            moved.entered, moved."left", waiting.queued, waiting."oldestQueuedAt"
       FROM moved, waiting`,
  );
  return result.rows[0]!;
}
