import { beforeEach, describe, expect, it } from 'vitest';
import { ExpectedError, NotFoundError } from '../auth/errors';
import { getPool } from '../db/pool';
import { resetTables, useTestDatabase } from '../test/database';
import { defineTrait, deleteTrait, discoverTraitKeys, listTraitDefinitions, loadFieldCatalog, traitStats, updateTrait } from './registry';

useTestDatabase();

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await getPool().query(sql, params)).rows as T[];
}
async function addProfile(externalId: string, traits: object): Promise<void> {
  await getPool().query(`INSERT INTO profiles (external_id, traits) VALUES ($1, $2::jsonb)`, [externalId, JSON.stringify(traits)]);
}
async function addSegment(name: string, rules: object): Promise<void> {
  await getPool().query(`INSERT INTO segments (name, rules, updated_at) VALUES ($1, $2::jsonb, now())`, [name, JSON.stringify(rules)]);
}
async function addAudience(name: string, rules: object): Promise<void> {
  await getPool().query(`INSERT INTO audiences (name, rules, columns, updated_at) VALUES ($1, $2::jsonb, '[]', now())`, [name, JSON.stringify(rules)]);
}
const usesTrait = (key: string) => ({ combinator: 'and', rules: [{ field: `trait:${key}`, operator: 'notNull', value: null }] });
const auditActions = async () => (await query<{ action: string; entity_id: string }>(`SELECT action, entity_id FROM audit_log ORDER BY id`)).map((r) => `${r.action} ${r.entity_id}`);

describe('trait registry', () => {
  beforeEach(async () => {
    // Audiences are deleted, not truncated: the cascade would reach the snapshot rows, which refuse it.
    await getPool().query('DELETE FROM audiences');
    await resetTables('TRUNCATE profiles, segments, trait_definitions, audit_log RESTART IDENTITY CASCADE');
  });

  it('registers a trait, lists it and offers it as a rule field; audited', async () => {
    expect(await defineTrait({ key: ' tier ', label: ' Loyalty tier ', type: 'text' }, null)).toEqual({ key: 'tier', label: 'Loyalty tier', type: 'text' });
    await defineTrait({ key: 'birthday', label: 'Birthday', type: 'date' }, null);
    expect(await listTraitDefinitions()).toEqual([
      { key: 'birthday', label: 'Birthday', type: 'date' },
      { key: 'tier', label: 'Loyalty tier', type: 'text' },
    ]);
    const field = (await loadFieldCatalog()).find('trait:birthday');
    expect(field).toMatchObject({ group: 'Traits', type: 'date', trait: 'birthday', label: 'Birthday' });
    expect(await auditActions()).toEqual(['trait.create tier', 'trait.create birthday']);
  });

  it('refuses a key registered already, and keeps the first definition', async () => {
    await defineTrait({ key: 'tier', label: 'Loyalty tier', type: 'text' }, null);
    const again = defineTrait({ key: 'tier', label: 'Tier number', type: 'number' }, null);
    await expect(again).rejects.toBeInstanceOf(ExpectedError);
    await expect(defineTrait({ key: 'tier', label: 'Tier number', type: 'number' }, null)).rejects.toThrow('A trait with the key "tier" is already registered.');
    expect(await listTraitDefinitions()).toEqual([{ key: 'tier', label: 'Loyalty tier', type: 'text' }]);
    expect(await auditActions()).toEqual(['trait.create tier']);
  });

  it.each([
    ['a key with a space', { key: 'loyalty tier', label: 'x', type: 'text' }, /starts with a letter/],
    ['a key starting with a digit', { key: '1tier', label: 'x', type: 'text' }, /starts with a letter/],
    ['a key with a colon', { key: 'trait:tier', label: 'x', type: 'text' }, /starts with a letter/],
    ['a key of 64 characters', { key: `a${'b'.repeat(63)}`, label: 'x', type: 'text' }, /at most 63/],
    ['the key of a built-in field', { key: 'Country', label: 'Country', type: 'text' }, /built-in field/],
    ['an empty label', { key: 'tier', label: '  ', type: 'text' }, /Give the trait a label/],
    ['an unknown type', { key: 'tier', label: 'Tier', type: 'json' }, /text, number, date or boolean/],
  ])('refuses %s and stores nothing', async (_what, input, message) => {
    await expect(defineTrait(input as never, null)).rejects.toThrow(message);
    expect(await listTraitDefinitions()).toEqual([]);
    expect(await auditActions()).toEqual([]);
  });

  it('relabels a trait in use, but refuses to change its type while a segment or audience uses it', async () => {
    await defineTrait({ key: 'tier', label: 'Tier', type: 'text' }, null);
    await addSegment('Gold members', usesTrait('tier'));
    expect(await updateTrait({ key: 'tier', label: 'Loyalty tier', type: 'text' }, null)).toEqual({ key: 'tier', label: 'Loyalty tier', type: 'text' });

    await expect(updateTrait({ key: 'tier', label: 'Loyalty tier', type: 'number' }, null)).rejects.toThrow('Cannot change the type of "tier": segment "Gold members" uses it.');
    await addAudience('Gold mailing', usesTrait('tier'));
    await expect(updateTrait({ key: 'tier', label: 'Loyalty tier', type: 'number' }, null)).rejects.toThrow('Cannot change the type of "tier": audience "Gold mailing", segment "Gold members" use it.');
    expect(await listTraitDefinitions()).toEqual([{ key: 'tier', label: 'Loyalty tier', type: 'text' }]);
    expect(await auditActions()).toEqual(['trait.create tier', 'trait.update tier']);

    // Unused, the type may change; a trait whose key merely starts the same does not count as a use.
    await defineTrait({ key: 'tierPoints', label: 'Tier points', type: 'text' }, null);
    expect(await updateTrait({ key: 'tierPoints', label: 'Tier points', type: 'number' }, null)).toMatchObject({ type: 'number' });
    await expect(updateTrait({ key: 'nope', label: 'Nope', type: 'text' }, null)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to remove a trait while it is used, and removes it (values stay) once it is not', async () => {
    await defineTrait({ key: 'vip', label: 'VIP', type: 'boolean' }, null);
    await addProfile('p1', { vip: true });
    await addSegment('VIPs', usesTrait('vip'));
    await expect(deleteTrait('vip', null)).rejects.toThrow('Cannot remove "vip": segment "VIPs" uses it.');
    expect(await listTraitDefinitions()).toHaveLength(1);

    await getPool().query(`DELETE FROM segments`);
    await deleteTrait('vip', null);
    expect(await listTraitDefinitions()).toEqual([]);
    expect(await query(`SELECT traits FROM profiles`)).toEqual([{ traits: { vip: true } }]);
    expect(await auditActions()).toEqual(['trait.create vip', 'trait.delete vip']);
    await expect(deleteTrait('vip', null)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('counts, per trait, the profiles with a value and the values not of its type', async () => {
    await defineTrait({ key: 'age', label: 'Age', type: 'number' }, null);
    await defineTrait({ key: 'vip', label: 'VIP', type: 'boolean' }, null);
    await defineTrait({ key: 'birthday', label: 'Birthday', type: 'date' }, null);
    await defineTrait({ key: 'unused', label: 'Unused', type: 'text' }, null);
    await addProfile('p1', { age: 31, vip: true, birthday: '1990-04-02' });
    await addProfile('p2', { age: '42', vip: 'yes', birthday: '02/04/1990' }); // a numeric string is a number; yes is true
    await addProfile('p3', { age: 'forty', vip: 1, birthday: '' }); // "" is empty, not a wrong value
    await addProfile('p4', { age: null, vip: [] }); // empty
    await addProfile('p5', {});
    const stats = new Map((await traitStats()).map((s) => [s.key, s]));
    expect(stats.get('age')).toEqual({ key: 'age', withValue: 3, wrongType: 1 });
    expect(stats.get('vip')).toEqual({ key: 'vip', withValue: 3, wrongType: 1 });
    expect(stats.get('birthday')).toEqual({ key: 'birthday', withValue: 2, wrongType: 1 });
    expect(stats.get('unused')).toEqual({ key: 'unused', withValue: 0, wrongType: 0 });
  });

  it('finds unregistered keys in the data and suggests the type all their values have', async () => {
    await defineTrait({ key: 'tier', label: 'Tier', type: 'text' }, null);
    await addProfile('p1', { tier: 'gold', points: 10, newsletter: true, joined: '2024-01-31', nickname: 'Al', 'bad key': 1 });
    await addProfile('p2', { tier: 'silver', points: '12.5', newsletter: 'no', joined: '2024-02-29T10:00:00Z', nickname: 7 });
    await addProfile('p3', { points: 3, newsletter: null, joined: '' });
    expect(await discoverTraitKeys()).toEqual([
      { key: 'points', profiles: 3, suggestedType: 'number' },
      { key: 'joined', profiles: 2, suggestedType: 'date' },
      { key: 'newsletter', profiles: 2, suggestedType: 'boolean' },
      { key: 'nickname', profiles: 2, suggestedType: 'text' },
    ]);
  });
});
