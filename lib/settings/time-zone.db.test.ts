import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { countMatchingProfiles } from '../rules/count';
import { parseRules } from '../rules/parse';
import { runSegmentEvaluation } from '../segments/evaluate';
import { useTestDatabase } from '../test/database';
import { getWorkspaceTimeZone, setWorkspaceTimeZone } from './time-zone';

useTestDatabase();

const onJan15 = { combinator: 'and', rules: [{ field: 'createdAt', operator: 'on', value: '2026-01-15' }] };

describe('workspace time zone', () => {
  it('defaults to UTC and refuses names that are not zones, changing nothing', async () => {
    expect(await getWorkspaceTimeZone()).toBe('UTC');
    for (const bad of ['Mars/Olympus', "Europe/London'; --", '', 'x'.repeat(200)]) {
      await expect(setWorkspaceTimeZone(bad, null)).rejects.toThrow(/time zone/);
    }
    expect(await getWorkspaceTimeZone()).toBe('UTC');
  });

  it('makes date-only values whole days in that zone, in the live count and in runs alike', async () => {
    // 12:00 UTC on the 14th is already 01:00 on the 15th in Auckland (UTC+13 in January).
    await getPool().query(`INSERT INTO profiles (external_id, created_at) VALUES ('kiwi', '2026-01-14T12:00:00Z')`);
    await getPool().query(`INSERT INTO segments (name, rules, updated_at) VALUES ('Joined on the 15th', $1, now())`, [JSON.stringify(onJan15)]);
    const tree = parseRules(onJan15);
    if (!tree.ok) throw new Error('invalid');

    expect(await countMatchingProfiles(tree.tree)).toBe(0);
    await setWorkspaceTimeZone('Pacific/Auckland', null);
    expect(await getWorkspaceTimeZone()).toBe('Pacific/Auckland');
    expect(await countMatchingProfiles(tree.tree)).toBe(1);
    const run = await runSegmentEvaluation({ trigger: 'MANUAL' });
    expect(run.status === 'completed' && run.segments[0]).toMatchObject({ members: 1, entered: 1 });

    const audit = await getPool().query(`SELECT details FROM audit_log WHERE action = 'settings.time_zone'`);
    expect(audit.rows[0].details).toEqual({ before: 'UTC', after: 'Pacific/Auckland' });
  });
});
