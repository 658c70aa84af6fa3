'use client';

import { useState, useTransition } from 'react';
import { defineTraitAction } from '@/app/(app)/traits/actions';
import { formatInt } from '@/components/format';
import { Button } from '@/components/ui/button';
import { ErrorMessage, Select } from '@/components/ui/form';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { ValueType } from '@/lib/rules/fields';
import { TRAIT_TYPES } from '@/lib/traits/types';
import { TRAIT_TYPE_LABELS, labelFromKey } from './trait-label';

export interface FoundKey {
  key: string;
  profiles: number;
  suggestedType: ValueType;
}

/** Keys in the profiles' data that are not registered yet, each registered in one click with the suggested (or a chosen) type. */
export function DiscoveredKeys({ keys, canManage }: { keys: FoundKey[]; canManage: boolean }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      <ErrorMessage>{error && <span data-testid="discovered-error">{error}</span>}</ErrorMessage>
      <Table label="Keys found in your data">
        <thead>
          <tr>
            <Th>Key</Th>
            <Th className="text-right">Profiles</Th>
            <Th>{canManage ? 'Register as' : 'Looks like'}</Th>
            {canManage && <Th className="text-right">Register</Th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.length === 0 && <EmptyRow colSpan={canManage ? 4 : 3}>No unregistered keys in the profiles&rsquo; traits.</EmptyRow>}
          {keys.map((k) => (
            <DiscoveredRow key={k.key} found={k} canManage={canManage} onError={setError} />
          ))}
        </tbody>
      </Table>
    </div>
  );
}

function DiscoveredRow({ found, canManage, onError }: { found: FoundKey; canManage: boolean; onError: (message: string | null) => void }) {
  const [type, setType] = useState<ValueType>(found.suggestedType);
  const [pending, startTransition] = useTransition();
  const label = labelFromKey(found.key);

  function register() {
    startTransition(async () => {
      const result = await defineTraitAction({ key: found.key, label, type });
      onError(result.ok ? null : (Object.values(result.fieldErrors ?? {})[0]?.[0] ?? result.error));
    });
  }

  return (
    <tr data-testid="discovered-row" data-trait-key={found.key}>
      <Td className="font-mono text-xs text-slate-900">{found.key}</Td>
      <Td className="text-right tabular-nums">{formatInt(found.profiles)}</Td>
      <Td>
        {canManage ? (
          <Select aria-label={`Type for ${found.key}`} value={type} onChange={(e) => setType(e.target.value as ValueType)} disabled={pending} className="w-auto min-w-32" data-testid="discovered-type">
            {TRAIT_TYPES.map((t) => (
              <option key={t} value={t}>
                {TRAIT_TYPE_LABELS[t]}
                {t === found.suggestedType ? ' (suggested)' : ''}
              </option>
            ))}
          </Select>
        ) : (
          TRAIT_TYPE_LABELS[found.suggestedType]
        )}
      </Td>
      {canManage && (
        <Td className="text-right">
          <Button variant="secondary" onClick={register} disabled={pending} aria-label={`Register ${found.key} as “${label}”`} data-testid="discovered-register">
            {pending ? 'Registering…' : `Register as “${label}”`}
          </Button>
        </Td>
      )}
    </tr>
  );
}
