/**
 * The minimum password policy: long enough, not the account's own email, not a password everyone
 * tries first. Length does most of the work; the list only catches the obvious long ones that pass it.
 */
export const MIN_PASSWORD_LENGTH = 12;

// bcrypt only looks at the first 72 bytes; a longer password would be silently cut.
export const MAX_PASSWORD_BYTES = 72;

// Common passwords of 12 or more characters (breach-list favourites and keyboard walks), lower-cased.
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123123123123',
  '111111111111',
  '000000000000',
  '098765432109',
  'password1234',
  'password12345',
  'password123456',
  'passwordpassword',
  'password123!',
  'password1234!',
  'p@ssw0rd1234',
  'p@ssword1234',
  'qwertyuiop12',
  'qwertyuiopasdf',
  'qwertyuiopasdfgh',
  'qwerty123456',
  '1qaz2wsx3edc',
  '1q2w3e4r5t6y',
  'q1w2e3r4t5y6',
  'asdfghjkl123',
  'zxcvbnm12345',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'welcome123456',
  'changeme1234',
  'administrator',
  'admin1234567',
  'adminadmin123',
  'abc123456789',
  'abcdefghijkl',
  'abcd12345678',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'trustno11234',
  'monkey123456',
  'dragon123456',
  'princess1234',
  'superman1234',
  'starwars1234',
  'correcthorsebatterystaple',
  'tagwise12345',
  'tagwise123456',
  'tagwisetagwise',
]);

/** What is wrong with this password for this account, or null when it is acceptable. */
export function passwordWeakness(password: string, account: { email?: string | null } = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) return `Use at most ${MAX_PASSWORD_BYTES} characters.`;
  const lower = password.trim().toLowerCase();
  const email = account.email?.trim().toLowerCase();
  if (email) {
    const local = email.split('@')[0] ?? '';
    if (lower.includes(email) || lower === local) return 'Do not use your email address as your password.';
  }
  if (COMMON_PASSWORDS.has(lower)) return 'This password is on a list of common passwords. Choose another.';
  if (new Set(lower).size <= 2) return 'Use more than one or two different characters.';
  return null;
}
