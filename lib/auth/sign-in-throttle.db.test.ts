import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { resetTables, useTestDatabase } from '../test/database';
import { hashPassword } from './password';
import { recentSignIns, SIGN_IN_THROTTLE, SignInThrottledError } from './sign-in-throttle';
import { verifyCredentials } from './users';

useTestDatabase();

const PASSWORD = 'plum-orchard-57';
const minutes = (start: Date, n: number) => new Date(start.getTime() + n * 60_000);
const t0 = new Date('2026-12-04T09:00:00.000Z');
let userId: number;

async function throttledMessage(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInThrottledError);
  return (error as Error).message;
}

beforeEach(async () => {
  await resetTables('DELETE FROM sign_in_attempts; DELETE FROM audit_log; DELETE FROM users');
  const { rows } = await getPool().query<{ id: number }>(
    `INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('ann@shop.test', 'Ann', $1, 'MARKETER', now()) RETURNING id`,
    [await hashPassword(PASSWORD)],
  );
  userId = rows[0]!.id;
});

describe('sign-in throttle', () => {
  it('after 5 failures for an account in 15 minutes refuses even the right password, and says for how long', async () => {
    const from = { ip: '203.0.113.7' };
    for (let i = 0; i < SIGN_IN_THROTTLE.perAccount; i++) {
      expect(await verifyCredentials('ann@shop.test', `wrong-guess-${i}`, from, minutes(t0, i))).toBeNull();
    }
    // The 5th failure was at t0+4; it leaves the window at t0+19. The 1st (t0) leaves it at t0+15.
    expect(await throttledMessage(verifyCredentials('Ann@Shop.test', PASSWORD, from, minutes(t0, 5)))).toBe('Too many attempts, try again in 10 minutes.');
    expect(await throttledMessage(verifyCredentials('ann@shop.test', PASSWORD, { ip: '198.51.100.1' }, minutes(t0, 14.5)))).toBe(
      'Too many attempts, try again in 1 minute.',
    );
    // Refused attempts do not count: once the oldest failure ages out, the right password works.
    expect(await verifyCredentials('ann@shop.test', PASSWORD, from, minutes(t0, 15.01))).toMatchObject({ id: userId });
    const outcomes = await getPool().query<{ outcome: string; n: number }>(`SELECT outcome, count(*)::int AS n FROM sign_in_attempts GROUP BY outcome ORDER BY outcome`);
    expect(outcomes.rows).toEqual([
      { outcome: 'SUCCESS', n: 1 },
      { outcome: 'FAILURE', n: 5 },
      { outcome: 'THROTTLED', n: 2 },
    ]);
  });

  it('a successful sign-in resets the account count', async () => {
    for (let i = 0; i < 4; i++) await verifyCredentials('ann@shop.test', 'wrong-guess', {}, minutes(t0, i));
    expect(await verifyCredentials('ann@shop.test', PASSWORD, {}, minutes(t0, 4))).not.toBeNull();
    for (let i = 0; i < 4; i++) await verifyCredentials('ann@shop.test', 'wrong-guess', {}, minutes(t0, 5 + i));
    expect(await verifyCredentials('ann@shop.test', PASSWORD, {}, minutes(t0, 9))).not.toBeNull(); // 4 since the success, not 8
    await verifyCredentials('ann@shop.test', 'wrong-guess', {}, minutes(t0, 10));
    for (let i = 0; i < 4; i++) await verifyCredentials('ann@shop.test', 'wrong-guess', {}, minutes(t0, 11));
    await expect(verifyCredentials('ann@shop.test', PASSWORD, {}, minutes(t0, 12))).rejects.toThrow(SignInThrottledError);
  });

  it('throttles unknown emails the same way, so the answer does not tell which accounts exist', async () => {
    for (let i = 0; i < 5; i++) expect(await verifyCredentials('nobody@shop.test', 'guess-guess', {}, t0)).toBeNull();
    await expect(verifyCredentials('nobody@shop.test', 'guess-guess', {}, t0)).rejects.toThrow('Too many attempts, try again in 15 minutes.');
    expect(await verifyCredentials('ann@shop.test', PASSWORD, {}, t0)).not.toBeNull(); // another account is not affected
  });

  it('after 20 failures from one address refuses that address for every account, not others', async () => {
    const attacker = { ip: '192.0.2.66' };
    for (let i = 0; i < SIGN_IN_THROTTLE.perAddress; i++) {
      expect(await verifyCredentials(`user${i}@shop.test`, 'guess-guess', attacker, minutes(t0, i * 0.5))).toBeNull();
    }
    expect(await throttledMessage(verifyCredentials('ann@shop.test', PASSWORD, attacker, minutes(t0, 10)))).toBe('Too many attempts, try again in 5 minutes.');
    expect(await verifyCredentials('ann@shop.test', PASSWORD, { ip: '192.0.2.1' }, minutes(t0, 10))).not.toBeNull();
    // A success from the address does not wipe its count (one good account must not launder guesses at others).
    await expect(verifyCredentials('user99@shop.test', 'guess-guess', attacker, minutes(t0, 11))).rejects.toThrow(SignInThrottledError);
  });

  it('attempts at the same moment count against each other: at most 5 of 12 parallel guesses are checked', async () => {
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => verifyCredentials('ann@shop.test', `parallel-${i}`, {}, t0)));
    const throttled = results.filter((r) => r.status === 'rejected' && r.reason instanceof SignInThrottledError).length;
    expect(results.every((r) => r.status === 'fulfilled' ? r.value === null : r.reason instanceof SignInThrottledError)).toBe(true);
    expect(throttled).toBeGreaterThanOrEqual(12 - SIGN_IN_THROTTLE.perAccount);
  });

  it('records successful sign-ins with time, address and user agent; the account page lists the last 10', async () => {
    for (let i = 0; i < 12; i++) {
      await verifyCredentials('ann@shop.test', PASSWORD, { ip: `10.0.0.${i}`, userAgent: `Browser/${i}` }, minutes(t0, i));
    }
    await verifyCredentials('ann@shop.test', 'wrong-guess', { ip: '10.9.9.9' }, minutes(t0, 20));
    const list = await recentSignIns(userId);
    expect(list).toHaveLength(10);
    expect(list[0]).toEqual({ at: minutes(t0, 11), ip: '10.0.0.11', userAgent: 'Browser/11' });
    expect(list.at(-1)?.ip).toBe('10.0.0.2');
  });
});
