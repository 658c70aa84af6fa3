import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { importOnlineRetail } from './online-retail';
import { ONLINE_RETAIL_HEADER, writeFixture } from './testing';

useTestDatabase();

describe('import audit', () => {
  it('records each import that wrote data, with who, the file and the counts, in the import transaction', async () => {
    const file = writeFixture('audit_small.csv', [ONLINE_RETAIL_HEADER, '500001,A1,MUG,2,2011-01-10 10:00:00,1.5,100,United Kingdom']);
    const { rows: users } = await getPool().query<{ id: number }>(
      `INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('imp@shop.test', 'I', 'x', 'ADMIN', now()) RETURNING id`,
    );
    await importOnlineRetail(file, { now: new Date('2026-06-15T09:00:00Z'), actorId: users[0]!.id });
    await importOnlineRetail(file, { now: new Date('2026-06-16T09:00:00Z') }); // idempotent re-run from the command line
    const { rows } = await getPool().query(`SELECT actor_id, action, entity_type, entity_id, details FROM audit_log ORDER BY id`);
    expect(rows).toEqual([
      {
        actor_id: users[0]!.id,
        action: 'import.run',
        entity_type: 'dataset',
        entity_id: 'online-retail',
        details: { file: 'audit_small.csv', rows: 1, profilesCreated: 1, profilesUpdated: 0, eventsInserted: { orders: 1, cancellations: 0 }, metricsChanged: 1 },
      },
      expect.objectContaining({ actor_id: null, action: 'import.run', details: expect.objectContaining({ profilesCreated: 0 }) }),
    ]);
  });
});
