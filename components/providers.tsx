'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { config as zodConfig } from 'zod/v4/core';

// Zod probes for eval (new Function) to speed up parsing; under our CSP the probe fails, harmlessly,
// but the browser reports it as a policy violation. Browser-side forms parse little: skip the probe.
zodConfig({ jitless: true });

/** The one react-query client of the browser app. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
