/**
 * Who may do what: the one table every server action, route handler and page asks.
 * Fail-closed: an action missing here is allowed to nobody.
 */
export type Role = 'ADMIN' | 'MARKETER' | 'VIEWER';

export const PERMISSIONS = {
  'app.view': ['ADMIN', 'MARKETER', 'VIEWER'],
  /** Changing one's own password: the only thing allowed while a one-time password is pending. */
  'account.password': ['ADMIN', 'MARKETER', 'VIEWER'],
  'segment.edit': ['ADMIN', 'MARKETER'],
  'segment.evaluate': ['ADMIN', 'MARKETER'],
  /** Pinning a profile in or out of a segment, and lifting the pin. */
  'segment.pin': ['ADMIN', 'MARKETER'],
  /** Registering, relabelling and removing custom traits (the fields rules may use). */
  'traits.manage': ['ADMIN', 'MARKETER'],
  'audience.edit': ['ADMIN', 'MARKETER'],
  'audience.freeze': ['ADMIN', 'MARKETER'],
  'audience.download': ['ADMIN', 'MARKETER', 'VIEWER'],
  'audience.version.delete': ['ADMIN'],
  'users.manage': ['ADMIN'],
  'settings.manage': ['ADMIN'],
  /** Creating, renaming, re-scoping and revoking API keys (lib/auth/api-keys.ts). */
  'apiKeys.manage': ['ADMIN'],
  /** Reading the audit log and exporting it as CSV. */
  'audit.view': ['ADMIN'],
  /** Uploading a profile CSV and importing it (lib/import/profiles), registering its new traits. */
  'import.run': ['ADMIN', 'MARKETER'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * Why this user may not do this, or null when they may. A user still on a one-time password may
 * only choose their own password, so an account handed out by an admin is never used as it was sent.
 */
export function accessDenial(user: { role: Role; mustChangePassword: boolean }, permission: Permission): string | null {
  if (!can(user.role, permission)) return 'Your role does not allow this.';
  if (user.mustChangePassword && permission !== 'account.password') return 'Choose your own password first, on your account page.';
  return null;
}

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  const allowed: readonly Role[] | undefined = PERMISSIONS[permission];
  return allowed?.includes(role) ?? false;
}
