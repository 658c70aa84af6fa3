import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordWeakness } from './password-policy';
import { createUserSchema, newPasswordSchema } from './user-schemas';

describe('password policy', () => {
  it('asks for at least 12 characters and at most 72 bytes', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    expect(passwordWeakness('k7#vQ9!mZ2p')).toBe('Use at least 12 characters.');
    expect(passwordWeakness('k7#vQ9!mZ2pL')).toBeNull();
    expect(passwordWeakness('é'.repeat(36) + 'x')).toBe('Use at most 72 characters.'); // 73 bytes
  });

  it('refuses common passwords whatever their case, and one- or two-character repetitions', () => {
    for (const p of ['password1234', 'PASSWORD1234', 'Qwerty123456', '123456789012', 'correcthorsebatterystaple', 'aaaaaaaaaaaaaaaa', 'abababababab']) {
      expect(passwordWeakness(p), p).not.toBeNull();
    }
    expect(passwordWeakness('password1234')).toMatch(/common passwords/);
  });

  it('refuses the account email, or its local part, as the password', () => {
    expect(passwordWeakness('ann.example@mail.test', { email: 'Ann.Example@mail.test' })).toMatch(/email address/);
    expect(passwordWeakness('my-ann.example@mail.test!', { email: 'ann.example@mail.test' })).toMatch(/email address/);
    expect(passwordWeakness('marketing-lead', { email: 'marketing-lead@mail.test' })).toMatch(/email address/);
    expect(passwordWeakness('marketing-lead', { email: 'someone@mail.test' })).toBeNull();
  });

  it('is what the schemas apply', () => {
    expect(newPasswordSchema.safeParse('password1234').success).toBe(false);
    expect(newPasswordSchema.safeParse('short').error?.issues[0]?.message).toBe('Use at least 12 characters.');
    const sameAsEmail = createUserSchema.safeParse({ email: 'lena.berg@shop.test', name: 'Lena', role: 'VIEWER', password: 'lena.berg@shop.test' });
    expect(sameAsEmail.error?.issues).toEqual([expect.objectContaining({ path: ['password'], message: 'Do not use your email address as your password.' })]);
    expect(createUserSchema.safeParse({ email: 'lena.berg@shop.test', name: 'Lena', role: 'VIEWER', password: 'plum-orchard-57' }).success).toBe(true);
  });
});
