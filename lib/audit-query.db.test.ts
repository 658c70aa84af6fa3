import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntryBatches, auditFilterOptions, decodeCursor, encodeCursor, listAuditEntries, parseAuditFilter } from './audit-query';
import { getPool } from './db/pool';
import { useTestDatabase } from './test/database';

useTestDatabase();

let ann: number;
let bob: number;
const t0 = Date.parse('2026-12-01T00:00:00.000Z');

beforeAll(async () => {
  const pool = getPool();
  const users = await pool.query<{ id: number }>(
    `INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ('ann@shop.test', 'Ann', 'x', 'ADMIN', now()), ('bob@shop.test', 'Bob', 'x', 'MARKETER', now()) RETURNING id`,
  );
  [ann, bob] = users.rows.map((r) => r.id) as [number, number];
  // 30 entries, one a minute; every third by Bob on a segment, the others by Ann on an audience; two share one instant.
  await pool.query(
    `INSERT INTO audit_log (at, actor_id, action, entity_type, entity_id, details)
     SELECT to_timestamp($1 / 1000.0) + make_interval(mins => least(n, 29)),
            CASE WHEN n % 3 = 0 THEN $2::int ELSE $3::int END,
            CASE WHEN n % 3 = 0 THEN 'segment.update' ELSE 'audience.freeze' END,
            CASE WHEN n % 3 = 0 THEN 'segment' ELSE 'audience' END,
            n::text, jsonb_build_object('n', n)
       FROM generate_series(1, 30) n`,
    [t0, bob, ann],
  );
});

const ns = (entries: { details: unknown }[]) => entries.map((e) => (e.details as { n: number }).n);

describe('reading the audit log', () => {
  it('pages newest first by keyset, forwards and back, with ties on the same instant kept apart by id', async () => {
    const first = await listAuditEntries({}, {}, 12);
    expect(ns(first.entries)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19]);
    expect(first.newer).toBeNull();
    const second = await listAuditEntries({}, { before: first.older }, 12);
    expect(ns(second.entries)).toEqual([18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7]);
    const third = await listAuditEntries({}, { before: second.older }, 12);
    expect(ns(third.entries)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(third.older).toBeNull();
    const back = await listAuditEntries({}, { after: third.newer }, 12);
    expect(ns(back.entries)).toEqual(ns(second.entries));
    const backToStart = await listAuditEntries({}, { after: back.newer }, 12);
    expect(ns(backToStart.entries)).toEqual(ns(first.entries));
    expect(backToStart.newer).toBeNull();
  });

  it('filters by user, entity type, action and time range (from inclusive, until exclusive)', async () => {
    expect(ns((await listAuditEntries({ user: bob })).entries)).toEqual([30, 27, 24, 21, 18, 15, 12, 9, 6, 3]);
    expect((await listAuditEntries({ entity: 'audience', action: 'audience.freeze' })).entries).toHaveLength(20);
    expect((await listAuditEntries({ entity: 'segment', action: 'audience.freeze' })).entries).toHaveLength(0);
    const range = { from: new Date(t0 + 5 * 60_000), to: new Date(t0 + 8 * 60_000) };
    expect(ns((await listAuditEntries(range)).entries)).toEqual([7, 6, 5]);
    expect((await listAuditEntries({ user: ann }, {}, 5)).entries.every((e) => e.actorEmail === 'ann@shop.test')).toBe(true);
  });

  it('reads filters and cursors from the URL and drops anything malformed', () => {
    expect(parseAuditFilter({ user: '7', entity: 'segment', action: ' segment.update ', from: '2026-12-01T10:00', to: 'garbage' })).toEqual({
      user: 7,
      entity: 'segment',
      action: 'segment.update',
      from: new Date('2026-12-01T10:00:00Z'),
      to: undefined,
    });
    expect(parseAuditFilter({ user: "1 OR 1=1", entity: ['a', 'b'] })).toMatchObject({ user: undefined, entity: 'a' });
    const cursor = { at: new Date('2026-12-01T00:05:00.000Z'), id: 42 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor("2026-12-01T00:05:00.000Z_1'; DROP TABLE audit_log")).toBeNull();
  });

  it('hands the export every matching entry in batches, and the filter selects what is in the log', async () => {
    const seen: number[] = [];
    for await (const batch of auditEntryBatches({ entity: 'audience' }, 7)) seen.push(...ns(batch));
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
    expect(await auditFilterOptions()).toEqual({
      users: [expect.objectContaining({ email: 'ann@shop.test' }), expect.objectContaining({ email: 'bob@shop.test' })],
      entityTypes: ['audience', 'segment'],
      actions: ['audience.freeze', 'segment.update'],
    });
  });
});
