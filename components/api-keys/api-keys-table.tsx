'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { revokeApiKeyAction, updateApiKeyAction } from '@/app/(app)/admin/api-keys/actions';
import { formatAgo, formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/form';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import type { ApiKeySummary } from '@/lib/auth/api-keys';
import { ScopeCheckboxes, type ScopeOption } from './scope-checkboxes';

export function ApiKeysTable({ keys, scopes }: { keys: ApiKeySummary[]; scopes: ScopeOption[] }) {
  return (
    <Table label="API keys">
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Key</Th>
          <Th>Scopes</Th>
          <Th>Created</Th>
          <Th>Last used</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid="api-keys-table">
        {keys.length === 0 && <EmptyRow colSpan={6}>No API keys yet.</EmptyRow>}
        {keys.map((k) => (
          <KeyRow key={k.id} apiKey={k} scopes={scopes} />
        ))}
      </tbody>
    </Table>
  );
}

function KeyRow({ apiKey, scopes }: { apiKey: ApiKeySummary; scopes: ScopeOption[] }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const revoked = apiKey.revokedAt !== null;

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await updateApiKeyAction({ id: apiKey.id, name: String(data.get('name') ?? ''), scopes: data.getAll('scopes').map(String) });
      if (!result.ok) {
        setError(result.fieldErrors ? Object.values(result.fieldErrors).flat().join(' ') : result.error);
        return;
      }
      setError(null);
      setEditing(false);
      router.refresh();
    });
  }

  function revoke() {
    if (!window.confirm(`Revoke the key "${apiKey.name}" (${apiKey.prefix}…)? Every system using it gets 401 from now on. This cannot be undone.`)) return;
    startTransition(async () => {
      const result = await revokeApiKeyAction({ id: apiKey.id });
      setError(result.ok ? null : result.error);
      router.refresh();
    });
  }

  return (
    <tr data-testid={`api-key-row-${apiKey.prefix}`} data-revoked={revoked} className={revoked ? 'align-top text-slate-400' : 'align-top'}>
      <Td className="whitespace-normal">
        {editing ? (
          <form id={`edit-key-${apiKey.id}`} onSubmit={save} className="space-y-2">
            <Input name="name" defaultValue={apiKey.name} maxLength={100} aria-label="Key name" data-testid="edit-api-key-name" />
            <ScopeCheckboxes scopes={scopes} name="scopes" idPrefix={`edit-scope-${apiKey.id}`} defaultChecked={apiKey.scopes} />
            <div className="flex gap-2">
              <Button type="submit" disabled={pending} data-testid="edit-api-key-save">
                Save
              </Button>
              <Button variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <span className="font-medium">{apiKey.name}</span>
        )}
        {error && (
          <p role="alert" className="mt-1 text-xs text-red-600">
            {error}
          </p>
        )}
      </Td>
      <Td>
        <code className="text-xs">{apiKey.prefix}…</code>
        {revoked && (
          <span className="ml-2">
            <Badge tone="red">revoked {formatDateTime(apiKey.revokedAt)}</Badge>
          </span>
        )}
      </Td>
      <Td className="whitespace-normal">
        <span className="flex flex-wrap gap-1" data-testid="api-key-scopes">
          {apiKey.scopes.map((s) => (
            <Badge key={s} tone={revoked ? 'gray' : 'blue'}>
              {s}
            </Badge>
          ))}
        </span>
      </Td>
      <Td>
        {formatDateTime(apiKey.createdAt)}
        {apiKey.createdBy && <div className="text-xs text-slate-500">by {apiKey.createdBy}</div>}
      </Td>
      <Td title={apiKey.lastUsedAt ? formatDateTime(apiKey.lastUsedAt) : undefined}>{formatAgo(apiKey.lastUsedAt)}</Td>
      <Td className="text-right">
        {!revoked && !editing && (
          <span className="inline-flex gap-2">
            <Button variant="secondary" onClick={() => setEditing(true)} disabled={pending} data-testid={`edit-api-key-${apiKey.prefix}`}>
              Edit
            </Button>
            <Button variant="danger" onClick={revoke} disabled={pending} data-testid={`revoke-api-key-${apiKey.prefix}`}>
              Revoke
            </Button>
          </span>
        )}
      </Td>
    </tr>
  );
}
