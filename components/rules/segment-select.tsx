'use client';

import { useQuery } from '@tanstack/react-query';

interface SegmentOption {
  id: number;
  name: string;
  status: string;
}

export const segmentOptionsKey = ['segments', 'options'] as const;

/** The segments a "segment membership" condition can refer to. */
export function SegmentSelect({ value, disabled, onChange, className }: { value: unknown; disabled?: boolean; onChange: (value: unknown) => void; className?: string }) {
  const { data, isError } = useQuery({
    queryKey: segmentOptionsKey,
    queryFn: async (): Promise<SegmentOption[]> => {
      const response = await fetch('/api/segments');
      if (!response.ok) throw new Error(`segments: ${response.status}`);
      return ((await response.json()) as { segments: SegmentOption[] }).segments;
    },
    staleTime: 30_000,
  });
  const selected = typeof value === 'number' || typeof value === 'string' ? String(value) : '';
  return (
    <select aria-label="Segment" data-testid="rule-segment" className={className} value={selected} disabled={disabled || !data} onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))}>
      <option value="">{isError ? 'Segments could not be loaded' : data ? 'Choose a segment…' : 'Loading segments…'}</option>
      {data?.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
          {s.status === 'PAUSED' ? ' (paused)' : ''}
        </option>
      ))}
    </select>
  );
}
