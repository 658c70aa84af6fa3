import { describe, expect, it } from 'vitest';
import { cronSecretProblem, isAuthorizedCronRequest, MIN_CRON_SECRET_LENGTH } from './cron-auth';

describe('CRON_SECRET', () => {
  it('must be set and at least 16 characters', () => {
    expect(MIN_CRON_SECRET_LENGTH).toBe(16);
    expect(cronSecretProblem(undefined)).toBe('CRON_SECRET is not set.');
    expect(cronSecretProblem('')).toBe('CRON_SECRET is not set.');
    expect(cronSecretProblem('x'.repeat(15))).toMatch(/too short: use at least 16 characters/);
    expect(cronSecretProblem('x'.repeat(16))).toBeNull();
  });

  it('a short secret is never accepted, even when the caller sends exactly it', () => {
    expect(isAuthorizedCronRequest('Bearer short-secret', 'short-secret')).toBe(false);
    expect(isAuthorizedCronRequest('Bearer a-long-enough-secret', 'a-long-enough-secret')).toBe(true);
  });
});
