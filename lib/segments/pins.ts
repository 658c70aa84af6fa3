import { audit } from '../audit';
import { ExpectedError, NotFoundError } from '../auth/errors';
import { getPool, withTransaction, type Queryable } from '../db/pool';
import { runSegmentEvaluation } from './evaluate';
import { pinInputSchema, type PinMode } from './pin-schema';

/**
 * Manual overrides. A pin IN keeps a profile in a segment whatever the rules say, a pin OUT keeps it
 * out; every run respects the pin (the `matched` set in evaluate.ts) until it is lifted. Each change
 * is audited in its own transaction, then the segment is re-evaluated at once, so the tag follows the
 * pin; when another run holds the lock the next run applies it ("pending"). A paused segment keeps its
 * tags: its pins apply when it is resumed.
 */
export type PinEvaluation = 'evaluated' | 'pending' | 'paused' | 'not-needed';

export interface PinChangeResult {
  changed: boolean;
  evaluation: PinEvaluation;
}

/** `now` fixes the clock (tests); by default the real time. */
export interface PinOptions {
  now?: Date;
}

interface StoredPin {
  mode: PinMode;
  reason: string;
  createdById: number | null;
  createdAt: Date;
}

/** Pins a profile in or out of a segment; an existing pin is replaced (its mode or reason), and audited with what it was. */
export async function pinProfile(
  segmentId: number,
  profileId: number,
  mode: PinMode,
  reason: string,
  actorId: number | null,
  options: PinOptions = {},
): Promise<PinChangeResult> {
  const parsed = pinInputSchema.safeParse({ segmentId, profileId, mode, reason });
  if (!parsed.success) throw new ExpectedError(parsed.error.issues[0]?.message ?? 'Invalid pin.');
  const input = parsed.data;
  const now = options.now ?? new Date();
  const outcome = await withTransaction(async (client) => {
    const target = await loadTarget(client, input.segmentId, input.profileId);
    const before = await lockPin(client, input.segmentId, input.profileId);
    if (before && before.mode === input.mode && before.reason === input.reason) return { changed: false, status: target.status };
    await client.query(
      `INSERT INTO segment_pins (segment_id, profile_id, mode, reason, created_by_id, created_at)
       VALUES ($1, $2, $3::"PinMode", $4, $5, $6)
       ON CONFLICT (segment_id, profile_id) DO UPDATE
         SET mode = EXCLUDED.mode, reason = EXCLUDED.reason, created_by_id = EXCLUDED.created_by_id, created_at = EXCLUDED.created_at`,
      [input.segmentId, input.profileId, input.mode, input.reason, actorId, now.toISOString()],
    );
    await audit(
      {
        actorId,
        action: 'segment.pin',
        entityType: 'segment',
        entityId: input.segmentId,
        details: { profileId: input.profileId, externalId: target.externalId, mode: input.mode, reason: input.reason, before },
      },
      client,
    );
    return { changed: true, status: target.status };
  });
  return { changed: outcome.changed, evaluation: outcome.changed ? await applyPins(input.segmentId, outcome.status, now) : 'not-needed' };
}

/** Lifts a pin: from the next evaluation (run at once) the rules alone decide again. */
export async function unpinProfile(segmentId: number, profileId: number, actorId: number | null, options: PinOptions = {}): Promise<PinChangeResult> {
  const now = options.now ?? new Date();
  const status = await withTransaction(async (client) => {
    const target = await loadTarget(client, segmentId, profileId);
    const before = await lockPin(client, segmentId, profileId);
    if (!before) throw new NotFoundError('The pin');
    await client.query(`DELETE FROM segment_pins WHERE segment_id = $1 AND profile_id = $2`, [segmentId, profileId]);
    await audit(
      { actorId, action: 'segment.unpin', entityType: 'segment', entityId: segmentId, details: { profileId, externalId: target.externalId, before } },
      client,
    );
    return target.status;
  });
  return { changed: true, evaluation: await applyPins(segmentId, status, now) };
}

interface PinRow {
  segmentId: number;
  profileId: number;
  mode: PinMode;
  reason: string;
  createdByName: string | null;
  createdAt: Date;
  /** Whether the tag already follows the pin (false until the next run after a busy one, or while paused). */
  inEffect: boolean;
}

export interface SegmentPinItem extends PinRow {
  externalId: string;
}

export interface ProfilePinItem extends PinRow {
  segmentName: string;
  segmentStatus: 'ACTIVE' | 'PAUSED';
}

const PIN_COLUMNS = `sp.segment_id AS "segmentId", sp.profile_id AS "profileId", sp.mode, sp.reason,
  u.name AS "createdByName", sp.created_at AS "createdAt",
  (EXISTS (SELECT 1 FROM segment_memberships sm WHERE sm.segment_id = sp.segment_id AND sm.profile_id = sp.profile_id)) = (sp.mode = 'IN') AS "inEffect"`;

/** Every pin of a segment, newest first. Pins are set by hand one at a time, so the list stays short. */
export async function listPinsForSegment(segmentId: number): Promise<SegmentPinItem[]> {
  const result = await getPool().query<SegmentPinItem>(
    `SELECT ${PIN_COLUMNS}, p.external_id AS "externalId"
       FROM segment_pins sp JOIN profiles p ON p.id = sp.profile_id LEFT JOIN users u ON u.id = sp.created_by_id
      WHERE sp.segment_id = $1
      ORDER BY sp.created_at DESC, p.external_id`,
    [segmentId],
  );
  return result.rows;
}

export async function listPinsForProfile(profileId: number): Promise<ProfilePinItem[]> {
  const result = await getPool().query<ProfilePinItem>(
    `SELECT ${PIN_COLUMNS}, s.name AS "segmentName", s.status AS "segmentStatus"
       FROM segment_pins sp JOIN segments s ON s.id = sp.segment_id LEFT JOIN users u ON u.id = sp.created_by_id
      WHERE sp.profile_id = $1
      ORDER BY lower(s.name), s.id`,
    [profileId],
  );
  return result.rows;
}

async function loadTarget(client: Queryable, segmentId: number, profileId: number): Promise<{ status: 'ACTIVE' | 'PAUSED'; externalId: string }> {
  // FOR SHARE: neither row can be deleted before the pin referring to it is written.
  const segment = await client.query<{ status: 'ACTIVE' | 'PAUSED' }>(`SELECT status FROM segments WHERE id = $1 FOR SHARE`, [segmentId]);
  if (!segment.rows[0]) throw new NotFoundError('The segment');
  const profile = await client.query<{ external_id: string }>(`SELECT external_id FROM profiles WHERE id = $1 FOR SHARE`, [profileId]);
  if (!profile.rows[0]) throw new NotFoundError('The profile');
  return { status: segment.rows[0].status, externalId: profile.rows[0].external_id };
}

async function lockPin(client: Queryable, segmentId: number, profileId: number): Promise<StoredPin | null> {
  const result = await client.query<StoredPin>(
    `SELECT mode, reason, created_by_id AS "createdById", created_at AS "createdAt" FROM segment_pins
      WHERE segment_id = $1 AND profile_id = $2 FOR UPDATE`,
    [segmentId, profileId],
  );
  return result.rows[0] ?? null;
}

async function applyPins(segmentId: number, status: 'ACTIVE' | 'PAUSED', now: Date): Promise<PinEvaluation> {
  if (status === 'PAUSED') return 'paused';
  try {
    const result = await runSegmentEvaluation({ trigger: 'MANUAL', segmentIds: [segmentId], now });
    return result.status === 'completed' ? 'evaluated' : 'pending';
  } catch (error) {
    // The pin is saved and audited; the next run applies it. Do not fail the change for this.
    console.error(`evaluating segment ${segmentId} after a pin change failed`, error);
    return 'pending';
  }
}
