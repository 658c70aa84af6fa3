import { audit } from '@/lib/audit';
import { auditEntryBatches, parseAuditFilter } from '@/lib/audit-query';
import { withPermission } from '@/lib/auth/route';
import { csvStream } from '@/lib/csv/stream';

export const dynamic = 'force-dynamic';

const HEADER = ['id', 'at', 'actor_email', 'actor_name', 'action', 'entity_type', 'entity_id', 'ip', 'details'] as const;

/** GET /admin/audit/csv?user=&entity=&action=&from=&to= : the filtered audit log as CSV, streamed newest first. */
export const GET = withPermission('audit.view', async (request, user) => {
  const filter = parseAuditFilter(Object.fromEntries(new URL(request.url).searchParams));
  // Exporting the log is itself recorded (it holds personal data: who did what, from where).
  await audit({ actorId: user.id, action: 'audit.export', entityType: 'audit_log', details: { filter } });
  async function* rows() {
    for await (const batch of auditEntryBatches(filter)) {
      yield batch.map((e) => [String(e.id), e.at.toISOString(), e.actorEmail, e.actorName, e.action, e.entityType, e.entityId, e.ip, JSON.stringify(e.details)]);
    }
  }
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(csvStream({ header: HEADER, batches: rows() }), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="tagwise-audit-${stamp}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
});
