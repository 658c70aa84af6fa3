const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Trimmed and lower-cased, or null when empty; undefined when it is not an e-mail address. */
export function normaliseEmail(value: string): string | null | undefined {
  const email = value.trim().toLowerCase();
  if (email === '') return null;
  return email.length <= 320 && EMAIL.test(email) ? email : undefined;
}
