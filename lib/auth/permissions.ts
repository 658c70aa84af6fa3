/**
 * Who may do what: the one table every server action, route handler and page asks.
 * Fail-closed: an action missing here is allowed to nobody.
 */
export type Role = 'ADMIN' | 'MARKETER' | 'VIEWER';

export const PERMISSIONS = {
  'app.view': ['ADMIN', 'MARKETER', 'VIEWER'],
  'segment.edit': ['ADMIN', 'MARKETER'],
  'segment.evaluate': ['ADMIN', 'MARKETER'],
  'audience.edit': ['ADMIN', 'MARKETER'],
  'audience.freeze': ['ADMIN', 'MARKETER'],
  'audience.download': ['ADMIN', 'MARKETER', 'VIEWER'],
  'audience.version.delete': ['ADMIN'],
  'users.manage': ['ADMIN'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  const allowed: readonly Role[] | undefined = PERMISSIONS[permission];
  return allowed?.includes(role) ?? false;
}
