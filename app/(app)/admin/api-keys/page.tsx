import type { Metadata } from 'next';
import { ApiKeysTable } from '@/components/api-keys/api-keys-table';
import { CreateApiKeyForm } from '@/components/api-keys/create-api-key-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { API_KEY_SCOPE_LABELS, API_KEY_SCOPES, listApiKeys } from '@/lib/auth/api-keys';
import { requirePagePermission } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'API keys' };
export const dynamic = 'force-dynamic';

export default async function ApiKeysPage() {
  await requirePagePermission('apiKeys.manage');
  const keys = await listApiKeys();
  const scopes = API_KEY_SCOPES.map((id) => ({ id, label: API_KEY_SCOPE_LABELS[id] }));
  const active = keys.filter((k) => !k.revokedAt).length;
  return (
    <>
      <PageHeader
        title="API keys"
        description={`Bearer keys for other systems: send "Authorization: Bearer <key>". A key is shown once, when it is created; only a hash of it is kept. ${active} active key${active === 1 ? '' : 's'}.`}
      />
      <div className="space-y-6">
        <Card title="Create a key">
          <CreateApiKeyForm scopes={scopes} />
        </Card>
        <ApiKeysTable keys={keys} scopes={scopes} />
        <Card title="Downloading an audience version">
          <pre className="overflow-x-auto whitespace-pre-wrap text-xs text-slate-700">
            {`curl -H "Authorization: Bearer <key>" -o list.csv \\
  "$TAGWISE_URL/api/v1/audiences/<audience id>/versions/<number>.csv?preset=google&hash=sha256"`}
          </pre>
          <p className="mt-2 text-xs text-slate-500">Needs the scope audience:download. Options: bom=1, preset=google or meta, hash=sha256 (with a preset). Every download is recorded in the audit log with the key and the address.</p>
        </Card>
      </div>
    </>
  );
}
