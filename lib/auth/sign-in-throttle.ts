import { getPool } from '../db/pool';

/**
 * Limits password guessing, across every process that shares the database: after
 * PER_ACCOUNT failures for one email in the window (counted since its last successful sign-in),
 * or PER_ADDRESS failures from one client address, further attempts are refused until enough of
 * those failures have aged out of the window. Refused attempts are recorded but do not count, so a
 * refusal ends on its own however often someone keeps knocking.
 */
export const SIGN_IN_THROTTLE = { windowMinutes: 15, perAccount: 5, perAddress: 20 } as const;

/** Sign-in records are kept this long (the account page shows the last few). */
const KEEP_DAYS = 90;

export class SignInThrottledError extends Error {
  constructor(readonly retryAfterMinutes: number) {
    super(`Too many attempts, try again in ${retryAfterMinutes} minute${retryAfterMinutes === 1 ? '' : 's'}.`);
    this.name = 'SignInThrottledError';
  }
}

export interface AttemptSource {
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Records an attempt before the password is checked (provisionally as a failure, so attempts in
 * flight at the same moment count against each other), then throws SignInThrottledError when the
 * account or the address is over its limit. Returns the attempt's id for finishSignInAttempt.
 */
export async function beginSignInAttempt(email: string, source: AttemptSource = {}, now = new Date()): Promise<number> {
  const pool = getPool();
  const inserted = await pool.query<{ id: number }>(
    `INSERT INTO sign_in_attempts (email, ip, user_agent, outcome, at) VALUES ($1, $2, $3, 'FAILURE', $4) RETURNING id`,
    [email, source.ip ?? null, source.userAgent ?? null, now],
  );
  const id = inserted.rows[0]!.id;
  const { windowMinutes, perAccount, perAddress } = SIGN_IN_THROTTLE;
  // The Nth most recent failure in the window (N = the limit): while there is one, the limit is
  // reached, and it is the one whose ageing out lifts the refusal.
  const { rows } = await pool.query<{ account_until: Date | null; address_until: Date | null }>(
    `WITH since AS (
       SELECT greatest($4::timestamptz - make_interval(mins => $5),
                       coalesce((SELECT max(at) FROM sign_in_attempts WHERE email = $1 AND outcome = 'SUCCESS' AND id < $3), '-infinity')) AS at
     )
     SELECT
       (SELECT at FROM sign_in_attempts
         WHERE email = $1 AND outcome = 'FAILURE' AND id < $3 AND at > (SELECT at FROM since) AND at <= $4
         ORDER BY at DESC OFFSET $6 - 1 LIMIT 1) + make_interval(mins => $5) AS account_until,
       (SELECT at FROM sign_in_attempts
         WHERE $2::text IS NOT NULL AND ip = $2 AND outcome = 'FAILURE' AND id < $3 AND at > $4::timestamptz - make_interval(mins => $5) AND at <= $4
         ORDER BY at DESC OFFSET $7 - 1 LIMIT 1) + make_interval(mins => $5) AS address_until`,
    [email, source.ip ?? null, id, now, windowMinutes, perAccount, perAddress],
  );
  const until = [rows[0]?.account_until, rows[0]?.address_until].filter((d): d is Date => d instanceof Date);
  if (until.length > 0) {
    await pool.query(`UPDATE sign_in_attempts SET outcome = 'THROTTLED' WHERE id = $1`, [id]);
    const latest = Math.max(...until.map((d) => d.getTime()));
    throw new SignInThrottledError(Math.max(1, Math.ceil((latest - now.getTime()) / 60_000)));
  }
  return id;
}

/** Settles an attempt: a success (which resets the account's count) or a confirmed failure. */
export async function finishSignInAttempt(id: number, outcome: 'SUCCESS' | 'FAILURE', userId: number | null, now = new Date()): Promise<void> {
  const pool = getPool();
  await pool.query(`UPDATE sign_in_attempts SET outcome = $2::"SignInOutcome", user_id = $3 WHERE id = $1`, [id, outcome, userId]);
  if (outcome === 'SUCCESS') {
    await pool.query(`DELETE FROM sign_in_attempts WHERE at < $1::timestamptz - make_interval(days => $2)`, [now, KEEP_DAYS]);
  }
}

export interface SignInRecord {
  at: Date;
  ip: string | null;
  userAgent: string | null;
}

/** The user's own most recent successful sign-ins, newest first. */
export async function recentSignIns(userId: number, limit = 10): Promise<SignInRecord[]> {
  const { rows } = await getPool().query<{ at: Date; ip: string | null; user_agent: string | null }>(
    `SELECT at, ip, user_agent FROM sign_in_attempts WHERE user_id = $1 AND outcome = 'SUCCESS' ORDER BY at DESC, id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map((r) => ({ at: r.at, ip: r.ip, userAgent: r.user_agent }));
}
