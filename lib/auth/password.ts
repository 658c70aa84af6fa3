import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';

// bcrypt at cost 12 (about a quarter of a second here): slow enough to make guessing offline
// expensive; the sign-in throttle (sign-in-throttle.ts) limits guessing online.
const COST = 12;
export { MIN_PASSWORD_LENGTH } from './password-policy';

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** A password for a new account or a first admin: 20 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from(randomBytes(20), (b) => alphabet[b % alphabet.length]).join('');
}
