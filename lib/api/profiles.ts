import { ExpectedError, NotFoundError } from '../auth/errors';
import { getPool, type Queryable } from '../db/pool';
import { getProfile } from '../profiles/queries';

/**
 * "Is this customer in segment S right now?": a profile by external id or e-mail, with its traits,
 * computed metrics and current segment tags, each with the time it was gained.
 */
export interface ApiProfile {
  id: number;
  externalId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  country: string | null;
  city: string | null;
  emailConsent: boolean | null;
  createdAt: Date;
  updatedAt: Date;
  traits: Record<string, unknown>;
  metrics: {
    orderCount: number;
    totalSpent: number;
    averageOrderValue: number | null;
    cancellationCount: number;
    firstOrderAt: Date | null;
    lastOrderAt: Date | null;
    lastActivityAt: Date | null;
  };
  segments: { id: number; name: string; status: 'ACTIVE' | 'PAUSED'; enteredAt: Date }[];
}

export type ProfileRef = { externalId: string } | { email: string };

export const MAX_REF_LENGTH = 320;

/** E-mails are stored trimmed and lower-cased (imports and ingestion normalise them), so the look-up does too. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `?email=` or `?externalId=` (exactly one) on GET /api/v1/profiles. */
export function profileRefFromQuery(params: URLSearchParams): ProfileRef {
  for (const key of params.keys()) {
    if (key !== 'email' && key !== 'externalId') throw new ExpectedError(`Unknown query parameter "${key}"; expected email or externalId.`, 400);
  }
  const email = params.get('email');
  const externalId = params.get('externalId');
  if ((email === null) === (externalId === null)) throw new ExpectedError('Give exactly one of ?email= or ?externalId=.', 400);
  const value = (email ?? externalId)!;
  if (value.trim() === '' || value.length > MAX_REF_LENGTH) throw new ExpectedError(`The ${email !== null ? 'e-mail' : 'external id'} must be 1 to ${MAX_REF_LENGTH} characters.`, 400);
  return email !== null ? { email } : { externalId: value };
}

export async function findApiProfile(ref: ProfileRef, db: Queryable = getPool()): Promise<ApiProfile> {
  // A profile is found by its own column or by a recorded identity (an id or e-mail of a profile the
  // tracking API merged into it, docs/tracking.md), as the tracking API finds it. Two fixed
  // statements rather than a spliced column name; each uses a unique index.
  const value = 'email' in ref ? normaliseEmail(ref.email) : ref.externalId;
  const found = await db.query<{ id: number }>(
    'email' in ref
      ? `SELECT id, 0 AS rank FROM profiles WHERE email = $1
         UNION ALL SELECT profile_id, 1 FROM profile_identities WHERE kind = 'email' AND value = $1 ORDER BY rank LIMIT 1`
      : `SELECT id, 0 AS rank FROM profiles WHERE external_id = $1
         UNION ALL SELECT profile_id, 1 FROM profile_identities WHERE kind = 'user' AND value = $1 ORDER BY rank LIMIT 1`,
    [value],
  );
  const id = found.rows[0]?.id;
  if (id === undefined) throw new NotFoundError('The profile');
  const p = await getProfile(id, db);
  if (!p) throw new NotFoundError('The profile');
  const tags = await db.query<ApiProfile['segments'][number]>(
    `SELECT s.id, s.name, s.status::text AS status, sm.entered_at AS "enteredAt"
       FROM segment_memberships sm JOIN segments s ON s.id = sm.segment_id
      WHERE sm.profile_id = $1
      ORDER BY sm.entered_at DESC, s.id`,
    [p.id],
  );
  return {
    id: p.id,
    externalId: p.externalId,
    email: p.email,
    firstName: p.firstName,
    lastName: p.lastName,
    country: p.country,
    city: p.city,
    emailConsent: p.emailConsent,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    traits: p.traits,
    metrics: {
      orderCount: p.orderCount,
      totalSpent: Number(p.totalSpent),
      averageOrderValue: p.averageOrderValue === null ? null : Number(p.averageOrderValue),
      cancellationCount: p.cancellationCount,
      firstOrderAt: p.firstOrderAt,
      lastOrderAt: p.lastOrderAt,
      lastActivityAt: p.lastActivityAt,
    },
    segments: tags.rows,
  };
}
