'use client';

import { useQuery } from '@tanstack/react-query';
import type { FieldDef } from '@/lib/rules/fields';
import type { KnownValue } from './value-suggestions';

export const fieldValueKeys = {
  all: ['field-values'] as const,
  field: (name: string) => [...fieldValueKeys.all, name] as const,
};

async function fetchFieldValues(name: string, signal: AbortSignal): Promise<KnownValue[]> {
  const response = await fetch(`/api/fields/${encodeURIComponent(name)}/values`, { signal });
  if (!response.ok) throw new Error(`The known values could not be loaded (HTTP ${response.status}).`);
  return ((await response.json()) as { values: KnownValue[] }).values;
}

/** The values profiles have for a field with suggestions (most common first); nothing for other fields. */
export function useFieldValues(field: FieldDef) {
  return useQuery({
    queryKey: fieldValueKeys.field(field.name),
    queryFn: ({ signal }) => fetchFieldValues(field.name, signal),
    enabled: field.suggestions !== undefined,
    staleTime: 5 * 60_000,
  });
}
