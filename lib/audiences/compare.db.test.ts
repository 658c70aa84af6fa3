import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { compareListDownload, compareVersions } from './compare';
import { freezeAudience } from './freeze';
import { countryIs, makeAudienceRow, makeProfile, makeUser } from './testing';

useTestDatabase();
const NOW = new Date('2026-06-01T12:00:00Z');
let userId = 0;
beforeAll(async () => {
  userId = await makeUser();
});

async function list(audienceId: number, from: number, to: number, which: 'added' | 'removed' | 'kept', pageSize?: number) {
  const download = await compareListDownload(audienceId, from, to, which, { pageSize });
  const text = await new Response(download.stream).text();
  return { filename: download.filename, rowCount: download.rowCount, records: parse(text) as string[][] };
}

describe('comparing two versions', () => {
  it('counts added, removed and kept by profile id, and lists each as CSV', async () => {
    const country = 'Compareland';
    const p = [];
    for (let i = 0; i < 6; i++) p.push(await makeProfile({ externalId: `cmp-${i}`, country, orderCount: i }));
    const audience = await makeAudienceRow('Compared', countryIs(country), ['externalId', 'orderCount']);
    await freezeAudience(audience, userId, NOW); // v1: 0..5

    // 0 and 1 leave, 2 is deleted, 6 and 7 join, 3 changes (kept, with its new cells in v2).
    await getPool().query(`UPDATE profiles SET country = 'Gone' WHERE id = ANY($1::int[])`, [[p[0], p[1]]]);
    await getPool().query(`DELETE FROM profiles WHERE id = $1`, [p[2]]);
    await getPool().query(`UPDATE profiles SET order_count = 33 WHERE id = $1`, [p[3]]);
    for (const i of [6, 7]) await makeProfile({ externalId: `cmp-${i}`, country });
    await freezeAudience(audience, userId, NOW); // v2: 3,4,5,6,7

    expect(await compareVersions(audience, 1, 2)).toMatchObject({ from: { number: 1, rowCount: 6 }, to: { number: 2, rowCount: 5 }, added: 2, removed: 3, kept: 3 });
    expect(await compareVersions(audience, 2, 1)).toMatchObject({ added: 3, removed: 2, kept: 3 });
    expect(await compareVersions(audience, 1, 1)).toMatchObject({ added: 0, removed: 0, kept: 6 });

    const added = await list(audience, 1, 2, 'added');
    expect(added.filename).toBe('compared-v1-to-v2-added-2rows.csv');
    expect(added.records).toEqual([['external_id', 'order_count'], ['cmp-6', '0'], ['cmp-7', '0']]);
    // Removed rows come from v1, as frozen then (the deleted profile too).
    expect((await list(audience, 1, 2, 'removed')).records).toEqual([['external_id', 'order_count'], ['cmp-0', '0'], ['cmp-1', '1'], ['cmp-2', '2']]);
    expect((await list(audience, 1, 2, 'kept')).records.slice(1)).toEqual([['cmp-3', '33'], ['cmp-4', '4'], ['cmp-5', '5']]);
    for (const size of [1, 2]) expect((await list(audience, 1, 2, 'removed', size)).records).toHaveLength(4);

    await expect(compareVersions(audience, 1, 9)).rejects.toMatchObject({ status: 404 });
    await expect(compareVersions(987_654, 1, 2)).rejects.toMatchObject({ status: 404 });
  });
});
