import { describe, expect, it } from 'vitest';
import { accessDenial, can, PERMISSIONS, type Permission, type Role } from './permissions';

const ROLES: Role[] = ['ADMIN', 'MARKETER', 'VIEWER'];
// Permissions that only read or take data out; a viewer may hold these and nothing else.
const READ_ONLY: Permission[] = ['app.view', 'audience.download', 'account.password'];

describe('permission table', () => {
  const all = Object.keys(PERMISSIONS) as Permission[];

  it('gives VIEWER no permission that changes anything', () => {
    expect(all.filter((p) => can('VIEWER', p)).sort()).toEqual([...READ_ONLY].sort());
  });

  it('gives users.manage to ADMIN only', () => {
    expect(ROLES.filter((r) => can(r, 'users.manage'))).toEqual(['ADMIN']);
  });

  it('lets marketers and admins pin profiles, never viewers', () => {
    expect(ROLES.filter((r) => can(r, 'segment.pin'))).toEqual(['ADMIN', 'MARKETER']);
  });

  it('lets marketers and admins manage the trait registry, never viewers', () => {
    expect(ROLES.filter((r) => can(r, 'traits.manage'))).toEqual(['ADMIN', 'MARKETER']);
  });

  it('gives ADMIN every permission', () => {
    expect(all.filter((p) => !can('ADMIN', p))).toEqual([]);
  });

  it('fails closed for a missing role or an unknown permission', () => {
    expect(can(null, 'app.view')).toBe(false);
    expect(can(undefined, 'app.view')).toBe(false);
    expect(can('ADMIN', 'nope' as Permission)).toBe(false);
  });
});

describe('accessDenial', () => {
  it('a user on a one-time password may only change their own password, whatever their role', () => {
    for (const role of ['ADMIN', 'MARKETER', 'VIEWER'] as const) {
      expect(accessDenial({ role, mustChangePassword: true }, 'account.password')).toBeNull();
      expect(accessDenial({ role, mustChangePassword: true }, 'app.view')).toMatch(/choose your own password/i);
    }
    expect(accessDenial({ role: 'ADMIN', mustChangePassword: true }, 'users.manage')).toMatch(/choose your own password/i);
  });

  it('otherwise follows the permission table', () => {
    expect(accessDenial({ role: 'MARKETER', mustChangePassword: false }, 'segment.edit')).toBeNull();
    expect(accessDenial({ role: 'VIEWER', mustChangePassword: false }, 'segment.edit')).toMatch(/role does not allow/);
  });
});
