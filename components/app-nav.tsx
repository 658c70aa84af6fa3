'use client';

import clsx from 'clsx';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { signOut } from 'next-auth/react';

const links = [
  { href: '/segments', label: 'Segments' },
  { href: '/audiences', label: 'Audiences' },
  { href: '/profiles', label: 'Profiles' },
  { href: '/traits', label: 'Traits' },
  { href: '/runs', label: 'Runs' },
];

export function AppNav({ user }: { user: { name: string; email: string; role: string; isAdmin: boolean; canImport?: boolean } }) {
  const pathname = usePathname();
  const base = user.canImport ? [...links, { href: '/import', label: 'Import' }] : links;
  const items = user.isAdmin
    ? [...base, { href: '/admin/users', label: 'Users' }, { href: '/admin/api-keys', label: 'API keys' }, { href: '/admin/audit', label: 'Audit' }, { href: '/admin/settings', label: 'Settings' }]
    : base;
  return (
    <header className="border-b border-slate-200 bg-white">
      {/* Narrow screens: brand and account on the first row, the links on a second row that scrolls sideways. */}
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-2 px-6 py-3 sm:gap-x-6 md:flex-nowrap">
        <Link href="/segments" className="text-lg font-semibold tracking-tight text-brand-700">
          Tagwise
        </Link>
        <nav className="order-last -mx-6 flex w-[calc(100%+3rem)] gap-1 overflow-x-auto px-6 md:order-none md:mx-0 md:w-auto md:overflow-visible md:px-0" aria-label="Main">
          {items.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              className={clsx(
                'shrink-0 whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium',
                pathname.startsWith(item.href) ? 'bg-brand-50 text-brand-700' : 'text-slate-600 hover:bg-slate-100',
              )}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex min-w-0 items-center gap-3 text-sm">
          <Link href="/account" className="min-w-0 truncate rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100" data-testid="current-user" title="Your account">
            {user.name} <span className="hidden text-xs uppercase text-slate-400 sm:inline">{user.role.toLowerCase()}</span>
          </Link>
          <button type="button" onClick={() => signOut({ callbackUrl: '/signin' })} className="shrink-0 whitespace-nowrap rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100">
            Sign out
          </button>
        </div>
      </div>
    </header>
  );
}
