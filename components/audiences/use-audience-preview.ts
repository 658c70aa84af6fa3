'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { rulesKey } from '@/components/rules/use-rule-count';
import type { AudiencePreview } from '@/lib/audiences/service';

export const audienceKeys = {
  all: ['audiences'] as const,
  /** Keyed by the request body without the builder's ids, so re-rendering the same definition never refetches. */
  preview: (body: string) => ['audiences', 'preview', body] as const,
};

export const PREVIEW_DEBOUNCE_MS = 400;

async function fetchPreview(body: string, signal: AbortSignal): Promise<AudiencePreview> {
  const response = await fetch('/api/audiences/preview', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal });
  const json = (await response.json().catch(() => ({}))) as AudiencePreview & { error?: string };
  if (!response.ok) throw new Error(json.error ?? `Preview failed (${response.status}).`);
  return json;
}

/** Count and sample rows for the definition being edited, refreshed shortly after it stops changing. */
export function useAudiencePreview(rules: unknown, columns: string[]) {
  const body = `{"rules":${rulesKey(rules ?? null)},"columns":${JSON.stringify(columns)}}`;
  const [debounced, setDebounced] = useState(body);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(body), PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [body]);
  return useQuery({
    queryKey: audienceKeys.preview(debounced),
    queryFn: ({ signal }) => fetchPreview(debounced, signal),
    placeholderData: keepPreviousData,
    retry: false,
  });
}
