import { createHash, timingSafeEqual } from 'node:crypto';

/** A shorter CRON_SECRET is refused: it would be guessable by anyone who can reach the route. */
export const MIN_CRON_SECRET_LENGTH = 16;

/** Why this CRON_SECRET cannot be used, or null when it can. */
export function cronSecretProblem(secret: string | undefined = process.env.CRON_SECRET): string | null {
  if (!secret) return 'CRON_SECRET is not set.';
  if (secret.length < MIN_CRON_SECRET_LENGTH) return `CRON_SECRET is too short: use at least ${MIN_CRON_SECRET_LENGTH} characters (e.g. openssl rand -base64 24).`;
  return null;
}

/**
 * Checks `Authorization: Bearer <CRON_SECRET>` in constant time. Never accepts the secret from a
 * query string (it would end up in access logs). With no usable secret configured, nothing is accepted.
 */
export function isAuthorizedCronRequest(authorization: string | null, secret = process.env.CRON_SECRET): boolean {
  // The scheme name is case-insensitive (RFC 9110); the secret is not.
  const match = /^bearer (.+)$/i.exec(authorization ?? '');
  if (cronSecretProblem(secret) || !secret || !match) return false;
  const given = createHash('sha256').update(match[1]!).digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, expected);
}
