import { z } from 'zod';
import { ExpectedError, NotFoundError } from '../auth/errors';
import { getPool, type Queryable } from '../db/pool';
import { SEGMENT_DESCRIPTION_MAX, SEGMENT_NAME_MAX } from '../segments/definition';
import { rejectUnknownProperties } from './http';

/**
 * Read models and request bodies of the segment endpoints. Writes go through lib/segments/service.ts,
 * so the API validates, audits and re-evaluates exactly as the builder's save does.
 */

export interface ApiSegment {
  id: number;
  name: string;
  description: string;
  status: 'ACTIVE' | 'PAUSED';
  /** Bumped on every change of the rules. */
  version: number;
  /** Current members (tags), as of the last evaluation. */
  memberCount: number;
  /** The definition version the current members were evaluated with (null before the first evaluation). */
  evaluatedVersion: number | null;
  lastEvaluatedAt: Date | null;
  lastError: string | null;
  /** Active, but changed since its last evaluation: the members are still those of before the change. */
  evaluationPending: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApiSegmentDetail extends ApiSegment {
  rules: unknown;
}

const COLUMNS = `s.id, s.name, s.description, s.status::text AS status, s.version, s.member_count AS "memberCount",
  s.evaluated_version AS "evaluatedVersion", s.last_evaluated_at AS "lastEvaluatedAt", s.last_error AS "lastError",
  (s.status = 'ACTIVE' AND (s.last_evaluated_at IS NULL OR s.last_evaluated_at < s.updated_at)) AS "evaluationPending",
  s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

export async function listApiSegments(db: Queryable = getPool()): Promise<ApiSegment[]> {
  const { rows } = await db.query<ApiSegment>(`SELECT ${COLUMNS} FROM segments s ORDER BY s.id`);
  return rows;
}

export async function getApiSegment(id: number, db: Queryable = getPool()): Promise<ApiSegmentDetail> {
  const { rows } = await db.query<ApiSegmentDetail>(`SELECT ${COLUMNS}, s.rules FROM segments s WHERE s.id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError('The segment');
  return rows[0];
}

export const MEMBERS_DEFAULT_LIMIT = 100;
export const MEMBERS_MAX_LIMIT = 1000;

export interface ApiMember {
  profileId: number;
  externalId: string;
  email: string | null;
  enteredAt: Date;
}

export interface ApiMembersPage {
  segmentId: number;
  memberCount: number;
  limit: number;
  members: ApiMember[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The cursor is the last profile id of a page, wrapped so clients treat it as opaque. */
export function encodeCursor(profileId: number): string {
  return Buffer.from(`p${profileId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,24}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^p([1-9]\d{0,9})$/.exec(text);
  if (!match || Number(match[1]) > 2_147_483_647) throw new ExpectedError('The cursor is not valid: pass the nextCursor of the previous page.', 400);
  return Number(match[1]);
}

export function parseMembersQuery(params: URLSearchParams): { after: number; limit: number } {
  for (const key of params.keys()) {
    if (key !== 'cursor' && key !== 'limit') throw new ExpectedError(`Unknown query parameter "${key}"; expected cursor, limit.`, 400);
  }
  const rawLimit = params.get('limit');
  let limit = MEMBERS_DEFAULT_LIMIT;
  if (rawLimit !== null) {
    if (!/^\d{1,7}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MEMBERS_MAX_LIMIT) {
      throw new ExpectedError(`limit must be a whole number from 1 to ${MEMBERS_MAX_LIMIT}.`, 400);
    }
    limit = Number(rawLimit);
  }
  const cursor = params.get('cursor');
  return { after: cursor ? decodeCursor(cursor) : 0, limit };
}

/**
 * One page of current members in profile id order, after the cursor (keyset paging on the
 * membership's primary key: a page costs the same at the millionth member as at the first, and a
 * re-evaluation between pages never repeats a member; members who entered behind the cursor are
 * picked up by the next walk).
 */
export async function listApiMembers(segmentId: number, after: number, limit: number, db: Queryable = getPool()): Promise<ApiMembersPage> {
  const segment = await db.query<{ member_count: number }>(`SELECT member_count FROM segments WHERE id = $1`, [segmentId]);
  if (!segment.rows[0]) throw new NotFoundError('The segment');
  const { rows } = await db.query<ApiMember>(
    `SELECT sm.profile_id AS "profileId", p.external_id AS "externalId", p.email, sm.entered_at AS "enteredAt"
       FROM segment_memberships sm JOIN profiles p ON p.id = sm.profile_id
      WHERE sm.segment_id = $1 AND sm.profile_id > $2
      ORDER BY sm.profile_id
      LIMIT $3`,
    [segmentId, after, limit + 1],
  );
  const more = rows.length > limit;
  const members = more ? rows.slice(0, limit) : rows;
  return {
    segmentId,
    memberCount: segment.rows[0].member_count,
    limit,
    members,
    nextCursor: more ? encodeCursor(members[members.length - 1]!.profileId) : null,
  };
}

const name = z.string({ error: 'name must be a string.' }).max(SEGMENT_NAME_MAX * 4);
const description = z.string({ error: 'description must be a string.' }).max(SEGMENT_DESCRIPTION_MAX * 4);
const status = z.enum(['ACTIVE', 'PAUSED'], { error: 'status must be "ACTIVE" or "PAUSED".' });

const CREATE_KEYS = ['name', 'description', 'rules'] as const;
const UPDATE_KEYS = ['name', 'description', 'rules', 'status'] as const;

export interface CreateSegmentBody {
  name: string;
  description?: string;
  rules: unknown;
}

export interface UpdateSegmentBody {
  name?: string;
  description?: string;
  rules?: unknown;
  status?: 'ACTIVE' | 'PAUSED';
}

function checked<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ExpectedError(parsed.error.issues.map((i) => i.message).join(' '), 400);
  return parsed.data;
}

/** Shapes only (400); the name, description and rules themselves are checked by the service (422), as for the builder. */
export function parseCreateBody(body: Record<string, unknown>): CreateSegmentBody {
  rejectUnknownProperties(body, CREATE_KEYS);
  if (!('rules' in body)) throw new ExpectedError('rules is required: the rule group the builder produces.', 400);
  if (!('name' in body)) throw new ExpectedError('name is required.', 400);
  return checked(z.object({ name, description: description.optional(), rules: z.unknown() }), body) as CreateSegmentBody;
}

export function parseUpdateBody(body: Record<string, unknown>): UpdateSegmentBody {
  rejectUnknownProperties(body, UPDATE_KEYS);
  if (Object.keys(body).length === 0) throw new ExpectedError(`Send at least one of ${UPDATE_KEYS.join(', ')}.`, 400);
  if ('rules' in body && body.rules === undefined) throw new ExpectedError('rules must not be empty.', 400);
  return checked(z.object({ name: name.optional(), description: description.optional(), rules: z.unknown().optional(), status: status.optional() }), body);
}
