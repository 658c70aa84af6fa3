import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Tagwise', template: '%s · Tagwise' },
  description: 'Living customer segments and frozen audiences.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request makes every page render per request: a prerendered page could not carry
  // the per-request CSP nonce (proxy.ts) on its scripts, and the browser would refuse them.
  await headers();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
