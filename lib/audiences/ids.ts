import { NotFoundError } from '../auth/errors';

/** A positive 32-bit integer from a URL segment, or null. */
export function parsePathId(segment: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(segment)) return null;
  const n = Number(segment);
  return n <= 2_147_483_647 ? n : null;
}

/** For route handlers: the id, or a 404 (not a 500) for anything else. */
export function idFromPath(segment: string, what: string): number {
  const n = parsePathId(segment);
  if (n === null) throw new NotFoundError(what);
  return n;
}
