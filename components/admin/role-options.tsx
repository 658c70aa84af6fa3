import type { Role } from '@/lib/auth/permissions';

const ROLES: { role: Role; label: string; description: string }[] = [
  { role: 'ADMIN', label: 'Admin', description: 'everything, plus users' },
  { role: 'MARKETER', label: 'Marketer', description: 'builds segments and audiences' },
  { role: 'VIEWER', label: 'Viewer', description: 'reads only' },
];

/** The <option>s of a role select; `described` adds what each role may do (for the create form). */
export function RoleOptions({ described = false }: { described?: boolean }) {
  return (
    <>
      {ROLES.map(({ role, label, description }) => (
        <option key={role} value={role}>
          {described ? `${label}: ${description}` : label}
        </option>
      ))}
    </>
  );
}
