'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { RuleProblem } from '@/lib/rules/parse';

export type RuleCount = { kind: 'count'; count: number } | { kind: 'invalid'; error: string; problems: RuleProblem[] };

export const ruleCountKeys = {
  all: ['rule-count'] as const,
  /** Keyed by the rules without the builder's ids, so re-rendering the same rules never refetches. */
  count: (rulesKey: string) => [...ruleCountKeys.all, rulesKey] as const,
};

export const COUNT_DEBOUNCE_MS = 300;

export function rulesKey(rules: unknown): string {
  return JSON.stringify(rules, (key, value: unknown) => (key === 'id' || key === 'path' ? undefined : value));
}

async function fetchRuleCount(rulesJson: string, signal: AbortSignal): Promise<RuleCount> {
  const response = await fetch('/api/rules/count', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"rules":${rulesJson}}`,
    signal,
  });
  const body = (await response.json().catch(() => ({}))) as { count?: number; error?: string; problems?: RuleProblem[] };
  if (response.status === 422) return { kind: 'invalid', error: body.error ?? 'The rules are not valid.', problems: body.problems ?? [] };
  if (!response.ok || typeof body.count !== 'number') throw new Error(body.error ?? `The count failed (HTTP ${response.status}).`);
  return { kind: 'count', count: body.count };
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** How many profiles the rules match right now, refreshed ~300 ms after the last edit; keeps showing the previous answer meanwhile. */
export function useRuleCount(rules: unknown) {
  const key = useDebounced(rulesKey(rules ?? null), COUNT_DEBOUNCE_MS);
  return useQuery({
    queryKey: ruleCountKeys.count(key),
    queryFn: ({ signal }) => fetchRuleCount(key, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
