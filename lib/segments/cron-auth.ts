import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <CRON_SECRET>` in constant time. Never accepts the secret from a
 * query string (it would end up in access logs). With no secret configured, nothing is accepted.
 */
export function isAuthorizedCronRequest(authorization: string | null, secret = process.env.CRON_SECRET): boolean {
  // The scheme name is case-insensitive (RFC 9110); the secret is not.
  const match = /^bearer (.+)$/i.exec(authorization ?? '');
  if (!secret || !match) return false;
  const given = createHash('sha256').update(match[1]!).digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, expected);
}
