'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { AudiencePreview } from '@/lib/audiences/service';

export const audienceKeys = {
  all: ['audiences'] as const,
  preview: (rules: unknown, columns: string[]) => ['audiences', 'preview', rules, columns] as const,
};

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

async function fetchPreview(rules: unknown, columns: string[], signal: AbortSignal): Promise<AudiencePreview> {
  const response = await fetch('/api/audiences/preview', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules, columns }),
    signal,
  });
  const body = (await response.json().catch(() => ({}))) as AudiencePreview & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `Preview failed (${response.status}).`);
  return body;
}

/** Count and sample rows for the definition being edited, refreshed shortly after it stops changing. */
export function useAudiencePreview(rules: unknown, columns: string[]) {
  const input = useDebounced({ rules, columns }, 400);
  return useQuery({
    queryKey: audienceKeys.preview(input.rules, input.columns),
    queryFn: ({ signal }) => fetchPreview(input.rules, input.columns, signal),
    placeholderData: keepPreviousData,
    retry: false,
  });
}
