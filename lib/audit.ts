import { db } from './db/prisma';
import type { Queryable } from './db/pool';
import { currentRequestContext } from './auth/request-context';

export interface AuditInput {
  actorId: number | null;
  action: string;
  entityType: string;
  entityId?: string | number;
  details?: object;
  /** The client's address; by default the current request's (lib/auth/request-context.ts), none outside a request. */
  ip?: string | null;
}

/**
 * Records who changed what. Details hold the before/after or the parameters of the change.
 * Pass the transaction's client to write the entry in the same transaction as the change.
 */
export async function audit(entry: AuditInput, client?: Queryable) {
  const entityId = entry.entityId === undefined ? null : String(entry.entityId);
  const ip = entry.ip === undefined ? (currentRequestContext()?.ip ?? null) : entry.ip;
  if (client) {
    await client.query(`INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details, ip) VALUES ($1, $2, $3, $4, $5::jsonb, $6)`, [
      entry.actorId,
      entry.action,
      entry.entityType,
      entityId,
      JSON.stringify(entry.details ?? {}),
      ip,
    ]);
    return;
  }
  await db().auditEntry.create({
    data: { actorId: entry.actorId, action: entry.action, entityType: entry.entityType, entityId, details: (entry.details ?? {}) as object, ip },
  });
}
