import { db } from './db/prisma';

/** Records who changed what. Details hold the before/after or the parameters of the change. */
export async function audit(entry: { actorId: number | null; action: string; entityType: string; entityId?: string | number; details?: object }) {
  await db().auditEntry.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId === undefined ? null : String(entry.entityId),
      details: (entry.details ?? {}) as object,
    },
  });
}
