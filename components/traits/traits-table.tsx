'use client';

import { useState, useTransition } from 'react';
import { deleteTraitAction, updateTraitAction } from '@/app/(app)/traits/actions';
import { formatInt } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ErrorMessage, Input, Select } from '@/components/ui/form';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { TraitDefinition } from '@/lib/rules/fields';
import { TRAIT_TYPES } from '@/lib/traits/types';
import { TRAIT_TYPE_LABELS } from './trait-label';

export interface TraitRow extends TraitDefinition {
  /** Profiles with a value under the key. */
  withValue: number;
  /** Of those, values that are not of the trait's type. */
  wrongType: number;
}

type Notice = { kind: 'error' | 'done'; message: string };

/** The registered traits with how the data fills them; managers relabel, retype or remove them (refusals shown above the table). */
export function TraitsTable({ traits, canManage }: { traits: TraitRow[]; canManage: boolean }) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const columns = canManage ? 6 : 5;
  return (
    <div className="space-y-3">
      {notice?.kind === 'error' && (
        <ErrorMessage>
          <span data-testid="traits-notice">{notice.message}</span>
        </ErrorMessage>
      )}
      {notice?.kind === 'done' && (
        <p role="status" className="text-sm text-emerald-700" data-testid="traits-notice">
          {notice.message}
        </p>
      )}
      <Table label="Registered traits">
        <thead>
          <tr>
            <Th>Key</Th>
            <Th>Label</Th>
            <Th>Type</Th>
            <Th className="text-right">Profiles with a value</Th>
            <Th className="text-right">Not of the type</Th>
            {canManage && <Th className="text-right">Actions</Th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {traits.length === 0 && <EmptyRow colSpan={columns}>No traits are registered yet.</EmptyRow>}
          {traits.map((trait) => (
            // Keyed by the definition, so a saved change resets the row's edit state to what was stored.
            <TraitTableRow key={`${trait.key}:${trait.label}:${trait.type}`} trait={trait} canManage={canManage} onNotice={setNotice} />
          ))}
        </tbody>
      </Table>
    </div>
  );
}

function TraitTableRow({ trait, canManage, onNotice }: { trait: TraitRow; canManage: boolean; onNotice: (n: Notice | null) => void }) {
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(trait.label);
  const [type, setType] = useState(trait.type);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [pending, startTransition] = useTransition();

  function save() {
    startTransition(async () => {
      const result = await updateTraitAction({ key: trait.key, label, type });
      if (!result.ok) {
        onNotice({ kind: 'error', message: Object.values(result.fieldErrors ?? {})[0]?.[0] ?? result.error });
        return;
      }
      onNotice(null);
      setEditing(false);
    });
  }

  function cancel() {
    setEditing(false);
    setLabel(trait.label);
    setType(trait.type);
  }

  function remove() {
    if (!confirmRemove) {
      setConfirmRemove(true);
      return;
    }
    setConfirmRemove(false);
    startTransition(async () => {
      const result = await deleteTraitAction({ key: trait.key });
      onNotice(result.ok ? { kind: 'done', message: `Removed “${trait.label}”. The values stay in the profiles.` } : { kind: 'error', message: result.error });
    });
  }

  return (
    <tr data-testid="trait-row" data-trait-key={trait.key}>
      <Td className="font-mono text-xs text-slate-900">{trait.key}</Td>
      <Td>
        {editing ? (
          <Input aria-label={`Label of ${trait.key}`} value={label} maxLength={80} onChange={(e) => setLabel(e.target.value)} disabled={pending} className="min-w-48" data-testid="trait-edit-label" />
        ) : (
          <span data-testid="trait-label-text">{trait.label}</span>
        )}
      </Td>
      <Td>
        {editing ? (
          <Select aria-label={`Type of ${trait.key}`} value={type} onChange={(e) => setType(e.target.value as TraitRow['type'])} disabled={pending} className="w-auto min-w-32" data-testid="trait-edit-type">
            {TRAIT_TYPES.map((t) => (
              <option key={t} value={t}>
                {TRAIT_TYPE_LABELS[t]}
              </option>
            ))}
          </Select>
        ) : (
          <span data-testid="trait-type-text">{TRAIT_TYPE_LABELS[trait.type] ?? trait.type}</span>
        )}
      </Td>
      <Td className="text-right tabular-nums" data-testid="trait-with-value">
        {formatInt(trait.withValue)}
      </Td>
      <Td className="text-right tabular-nums" data-testid="trait-wrong-type">
        {trait.wrongType > 0 ? (
          <span title={`These values are not of type ${trait.type}: they match no condition but "is not empty".`}>
            <Badge tone="amber">{formatInt(trait.wrongType)}</Badge>
          </span>
        ) : (
          <span className="text-slate-400">0</span>
        )}
      </Td>
      {canManage && (
        <Td className="text-right">
          <span className="inline-flex gap-2">
            {editing ? (
              <>
                <Button onClick={save} disabled={pending} data-testid="trait-save">
                  {pending ? 'Saving…' : 'Save'}
                </Button>
                <Button variant="ghost" onClick={cancel} disabled={pending}>
                  Cancel
                </Button>
              </>
            ) : (
              <>
                <Button variant="secondary" onClick={() => setEditing(true)} disabled={pending} data-testid="trait-edit">
                  Edit
                </Button>
                <Button
                  variant={confirmRemove ? 'danger' : 'secondary'}
                  onClick={remove}
                  onBlur={() => setConfirmRemove(false)}
                  disabled={pending}
                  aria-label={confirmRemove ? `Confirm removing ${trait.label}` : `Remove ${trait.label}`}
                  data-testid="trait-remove"
                >
                  {confirmRemove ? 'Confirm remove' : 'Remove'}
                </Button>
              </>
            )}
          </span>
        </Td>
      )}
    </tr>
  );
}
