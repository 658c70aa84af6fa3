import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { parseBatch, type TrackingCall } from './calls';
import { storeCalls } from './queue';

useTestDatabase();

const receivedAt = new Date();
function request(n: number, messageIds: string[]): TrackingCall[] {
  const r = parseBatch({ batch: messageIds.map((messageId) => ({ type: 'track', userId: `q-${n}`, event: 'Order Completed', properties: { revenue: 1 }, messageId })) }, receivedAt);
  if (!r.ok) throw new Error(r.errors.join(' '));
  return r.calls;
}

describe('storeCalls (group commit)', () => {
  it('concurrent requests are stored together, each completely', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, n) => storeCalls(request(n, [`q-${n}-a`, `q-${n}-b`]))));
    const rows = (await getPool().query<{ id: number; external_id: string; order_count: number }>(`SELECT id, external_id, order_count FROM profiles`)).rows;
    const byUser = new Map(rows.map((r) => [r.external_id, r]));
    expect(rows).toHaveLength(30);
    for (let n = 0; n < 30; n++) {
      expect(byUser.get(`q-${n}`)?.order_count).toBe(2);
      expect(results[n]!.profileIds).toContain(byUser.get(`q-${n}`)!.id);
    }
    // Later requests waited for the first transaction and shared one: their results name each other's profiles.
    expect(results[0]!.profileIds).toHaveLength(1);
    expect(Math.max(...results.map((r) => r.profileIds.length))).toBeGreaterThan(1);
  });

  it('the same messageIds in concurrent requests are stored once', async () => {
    await Promise.all([storeCalls(request(100, ['dup-1', 'dup-2'])), storeCalls(request(100, ['dup-2', 'dup-1'])), storeCalls(request(100, ['dup-1']))]);
    const events = await getPool().query(`SELECT dedupe_key FROM events WHERE dedupe_key LIKE 'msg:dup-%' ORDER BY 1`);
    expect(events.rows).toEqual([{ dedupe_key: 'msg:dup-1' }, { dedupe_key: 'msg:dup-2' }]);
  });
});
