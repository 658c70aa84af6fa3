import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { createAudience, previewAudience, PREVIEW_ROWS, updateAudience } from './service';
import { countryIs, makeProfile, makeUser } from './testing';

useTestDatabase();
let userId = 0;
beforeAll(async () => {
  userId = await makeUser();
});

const valid = { name: 'UK buyers', description: 'For the June mailing', rules: countryIs('United Kingdom'), columns: ['externalId', 'email'] };

describe('audience definitions', () => {
  it('creates and updates an audience, auditing both with before and after', async () => {
    const { id } = await createAudience(valid, userId);
    await updateAudience(id, { ...valid, name: '  UK buyers v2 ', columns: ['email', 'externalId', 'lastOrderAt'] }, userId);
    const row = await getPool().query(`SELECT name, description, rules, columns, created_by_id FROM audiences WHERE id = $1`, [id]);
    expect(row.rows[0]).toEqual({ name: 'UK buyers v2', description: 'For the June mailing', rules: valid.rules, columns: ['email', 'externalId', 'lastOrderAt'], created_by_id: userId });
    const log = await getPool().query(`SELECT action, actor_id, details FROM audit_log WHERE entity_type = 'audience' AND entity_id = $1 ORDER BY id`, [String(id)]);
    expect(log.rows.map((r) => [r.action, r.actor_id])).toEqual([
      ['audience.create', userId],
      ['audience.update', userId],
    ]);
    expect(log.rows[1].details.before.name).toBe('UK buyers');
    expect(log.rows[1].details.after.name).toBe('UK buyers v2');
  });

  it.each([
    ['an empty rule set', { rules: { combinator: 'and', rules: [] } }, /rules are not valid: add at least one condition/],
    ['no rules at all', { rules: undefined }, /rules are not valid: is not a rule group/],
    ['an unknown field', { rules: { combinator: 'and', rules: [{ field: 'password_hash', operator: '=', value: 'x' }] } }, /unknown field "password_hash"/],
    ['a malformed value', { rules: { combinator: 'and', rules: [{ field: 'orderCount', operator: '>', value: 'lots' }] } }, /needs a number/],
    ['no columns', { columns: [] }, /choose at least one column/],
    ['an unknown column', { columns: ['externalId', 'traits'] }, /unknown column "traits"/],
    ['a duplicate column', { columns: ['email', 'email'] }, /column "email" is chosen twice/],
  ])('refuses %s with a clear message and saves nothing', async (_, change, message) => {
    const before = await getPool().query(`SELECT count(*)::int AS n FROM audiences`);
    await expect(createAudience({ ...valid, ...change }, userId)).rejects.toThrow(message);
    const after = await getPool().query(`SELECT count(*)::int AS n FROM audiences`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('names every problem at once', async () => {
    await expect(createAudience({ ...valid, rules: { combinator: 'and', rules: [] }, columns: [] }, userId)).rejects.toThrow(
      'The rules are not valid: add at least one condition. The export columns are not valid: choose at least one column.',
    );
  });

  it('refuses an empty name and an unknown audience on update', async () => {
    await expect(createAudience({ ...valid, name: '   ' }, userId)).rejects.toThrow(/Give the audience a name/);
    await expect(updateAudience(424_242, valid, userId)).rejects.toThrow(/audience was not found/);
  });
});

describe('preview', () => {
  it('counts every match and shows the first rows as the snapshot would store them', async () => {
    const country = 'Previewland';
    for (let i = 0; i < PREVIEW_ROWS + 5; i++) await makeProfile({ externalId: `pv-${String(i).padStart(2, '0')}`, country, orderCount: i });
    const preview = await previewAudience(countryIs(country), ['externalId', 'orderCount', 'lastOrderAt']);
    expect(preview.count).toBe(PREVIEW_ROWS + 5);
    expect(preview.columns.map((c) => c.header)).toEqual(['external_id', 'order_count', 'last_order_at']);
    expect(preview.rows).toHaveLength(PREVIEW_ROWS);
    expect(preview.rows[0]).toEqual(['pv-00', '0', null]);
    expect(preview.rows[PREVIEW_ROWS - 1]).toEqual([`pv-${PREVIEW_ROWS - 1}`, String(PREVIEW_ROWS - 1), null]);
  });

  it('refuses invalid rules like a save does', async () => {
    await expect(previewAudience({ combinator: 'and', rules: [] }, ['externalId'])).rejects.toMatchObject({ status: 422 });
  });
});

describe('listing for the pages', () => {
  it('lists audiences with their latest version and versions newest first with the author', async () => {
    const { freezeAudience } = await import('./freeze');
    const { getAudience, listAudiences, listVersions } = await import('./queries');
    const country = 'Listland';
    await makeProfile({ country });
    const { id } = await createAudience({ ...valid, name: 'Listed', rules: countryIs(country) }, userId);
    expect((await listAudiences()).find((a) => a.id === id)).toMatchObject({ versionCount: 0, latestNumber: null, latestRows: null });
    await freezeAudience(id, userId);
    await makeProfile({ country });
    await freezeAudience(id, userId);
    expect((await listAudiences()).find((a) => a.id === id)).toMatchObject({ name: 'Listed', versionCount: 2, latestNumber: 2, latestRows: 2 });
    const versions = await listVersions(id);
    expect(versions.map((v) => [v.number, v.rowCount, v.author])).toEqual([
      [2, 2, 'Test user'],
      [1, 1, 'Test user'],
    ]);
    expect(await getAudience(id)).toMatchObject({ name: 'Listed', createdBy: 'Test user', columns: valid.columns });
    expect(await getAudience(987_654)).toBeNull();
  });
});
