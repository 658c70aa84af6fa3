import { db } from './db/prisma';
import type { Queryable } from './db/pool';

export interface AuditInput {
  actorId: number | null;
  action: string;
  entityType: string;
  entityId?: string | number;
  details?: object;
}

/**
 * Records who changed what. Details hold the before/after or the parameters of the change.
 * Pass the transaction's client to write the entry in the same transaction as the change.
 */
export async function audit(entry: AuditInput, client?: Queryable) {
  const entityId = entry.entityId === undefined ? null : String(entry.entityId);
  if (client) {
    await client.query(`INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
      entry.actorId,
      entry.action,
      entry.entityType,
      entityId,
      JSON.stringify(entry.details ?? {}),
    ]);
    return;
  }
  await db().auditEntry.create({
    data: { actorId: entry.actorId, action: entry.action, entityType: entry.entityType, entityId, details: (entry.details ?? {}) as object },
  });
}
