import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from './audit';
import { withRequestContext } from './auth/request-context';
import { getPool } from './db/pool';
import { db } from './db/prisma';
import { useTestDatabase } from './test/database';

useTestDatabase();

let actorId: number;
let entryId: number;

beforeAll(async () => {
  const { rows } = await getPool().query<{ id: number }>(
    `INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('auditor@shop.test', 'A', 'x', 'ADMIN', now()) RETURNING id`,
  );
  actorId = rows[0]!.id;
  await withRequestContext({ ip: '203.0.113.9', userAgent: 'test' }, () =>
    audit({ actorId, action: 'segment.update', entityType: 'segment', entityId: 1, details: { before: { name: 'a' }, after: { name: 'b' } } }),
  );
  entryId = (await getPool().query<{ id: number }>(`SELECT id FROM audit_log ORDER BY id DESC LIMIT 1`)).rows[0]!.id;
});

describe('audit log', () => {
  it("records the current request's client address, inside or outside a transaction", async () => {
    const client = await getPool().connect();
    try {
      await client.query('BEGIN');
      await withRequestContext({ ip: '198.51.100.4', userAgent: null }, () => audit({ actorId, action: 'settings.time_zone', entityType: 'settings' }, client));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const { rows } = await getPool().query(`SELECT action, ip FROM audit_log ORDER BY id`);
    expect(rows).toEqual([
      { action: 'segment.update', ip: '203.0.113.9' },
      { action: 'settings.time_zone', ip: '198.51.100.4' },
    ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, by SQL and through Prisma', async () => {
    const pool = getPool();
    await expect(pool.query(`UPDATE audit_log SET details = '{}' WHERE id = $1`, [entryId])).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM audit_log WHERE id = $1`, [entryId])).rejects.toThrow(/append-only/);
    await expect(pool.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    await expect(db().auditEntry.update({ where: { id: BigInt(entryId) }, data: { action: 'forged' } })).rejects.toThrow();
    await expect(db().auditEntry.deleteMany({})).rejects.toThrow();
    const { rows } = await pool.query(`SELECT action, details FROM audit_log WHERE id = $1`, [entryId]);
    expect(rows).toEqual([{ action: 'segment.update', details: { before: { name: 'a' }, after: { name: 'b' } } }]);
  });

  it('keeps the entries of a user: the user row cannot be deleted (users are disabled), nor truncated away with CASCADE', async () => {
    const pool = getPool();
    await expect(pool.query(`DELETE FROM users WHERE id = $1`, [actorId])).rejects.toThrow(/foreign key/);
    await expect(pool.query(`TRUNCATE users CASCADE`)).rejects.toThrow();
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1`, [actorId]);
    expect(rows[0].n).toBe(2);
  });

  it('no application code lifts the guard: the escape setting appears only in tests and the migration', () => {
    const files = execFileSync('git', ['grep', '-l', 'tagwise.test_reset', '--', 'app', 'lib', 'components', 'scripts', 'proxy.ts', 'instrumentation.ts'], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(files.filter((f) => f !== 'lib/test/database.ts' && !/\.test\.ts$/.test(f))).toEqual([]);
  });
});
