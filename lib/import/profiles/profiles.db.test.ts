import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExpectedError } from '../../auth/errors';
import { getPool } from '../../db/pool';
import { countMatchingProfiles } from '../../rules/count';
import { parseRules } from '../../rules/parse';
import { createSegment } from '../../segments/service';
import { resetTables, useTestDatabase } from '../../test/database';
import { loadFieldCatalog } from '../../traits/registry';
import { checkImportJob, discardImportJob, getImportJob, runImportJob } from './jobs';
import type { ImportMapping } from './mapping';
import { stageProfileCsv } from './stage';

useTestDatabase();

/** The bytes in small chunks, so that multi-byte characters and lines straddle chunk boundaries. */
async function* chunks(text: string | Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const stage = (text: string, options: Parameters<typeof stageProfileCsv>[3] = {}) => stageProfileCsv(chunks(text), { fileName: 'people.csv' }, null, options);
const q = async <T>(sql: string, params: unknown[] = []) => (await getPool().query(sql, params)).rows as T[];

const PEOPLE = [
  'id;email;first name;city;vip;score;signed up',
  'p-1;Ann@Example.com;Ann;Lyon;yes;12.5;2024-01-31',
  'p-2;bob@example.com;Bob;;no;7;2024-02-01',
  '"p-3";;"Zoë";"Saint-Étienne";yes;-3;2024-03-01T10:00:00Z',
].join('\r\n');

const peopleMapping: ImportMapping = {
  columns: [
    { kind: 'field', field: 'externalId' },
    { kind: 'field', field: 'email' },
    { kind: 'field', field: 'firstName' },
    { kind: 'field', field: 'city' },
    { kind: 'trait', key: 'vip', label: 'VIP', type: 'boolean' },
    { kind: 'trait', key: 'score', label: 'Score', type: 'number' },
    { kind: 'trait', key: 'signed_up', label: 'Signed up', type: 'date' },
  ],
  rowIds: null,
};

async function profiles() {
  return q<Record<string, unknown>>(`SELECT external_id, email, first_name, city, traits FROM profiles ORDER BY external_id`);
}

beforeEach(async () => {
  await resetTables('TRUNCATE profiles, segments, segment_runs, audit_log, profile_imports, trait_definitions RESTART IDENTITY CASCADE');
});

describe('staging an upload', () => {
  it('detects the delimiter, reads quotes, UTF-8 across chunk boundaries and CRLF, and suggests a mapping from the whole column', async () => {
    const staged = await stage(`\uFEFF${PEOPLE}\r\n\r\n;;;;;;\r\n`); // BOM, a blank line, a line of empty cells
    expect(staged).toMatchObject({ rows: 3, delimiter: ';', header: ['id', 'email', 'first name', 'city', 'vip', 'score', 'signed up'] });
    const job = await getImportJob(staged.id);
    expect(job.status).toBe('READY');
    expect(job.columns[2]!.samples).toEqual(['Ann', 'Bob', 'Zoë']);
    expect(job.columns[3]!.samples).toEqual(['Lyon', '', 'Saint-Étienne']);
    expect(job.columns[5]!.stats).toMatchObject({ filled: 3, numbers: 3, dates: 0, emails: 0 });
    expect(job.mapping.rowIds).toBeNull();
    expect(job.mapping.columns).toEqual([
      { kind: 'field', field: 'externalId' },
      { kind: 'field', field: 'email' },
      { kind: 'field', field: 'firstName' },
      { kind: 'field', field: 'city' },
      { kind: 'trait', key: 'vip', label: 'Vip', type: 'boolean' },
      { kind: 'trait', key: 'score', label: 'Score', type: 'number' },
      { kind: 'trait', key: 'signed_up', label: 'Signed up', type: 'date' },
    ]);
    expect(await q(`SELECT row_no, cells FROM profile_import_rows WHERE import_id = $1 ORDER BY row_no`, [staged.id])).toEqual([
      { row_no: 2, cells: ['p-1', 'Ann@Example.com', 'Ann', 'Lyon', 'yes', '12.5', '2024-01-31'] },
      { row_no: 3, cells: ['p-2', 'bob@example.com', 'Bob', '', 'no', '7', '2024-02-01'] },
      { row_no: 4, cells: ['p-3', '', 'Zoë', 'Saint-Étienne', 'yes', '-3', '2024-03-01T10:00:00Z'] },
    ]);
  });

  it('infers types over every row: one odd value far down makes a column text; leading zeros stay text', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `r${i};${i};0${i % 9};${i % 2 ? 'yes' : 'no'};${i === 110 ? 'unknown' : i}`);
    const staged = await stage(['id;n;code;flag;mostly'].concat(rows).join('\n'), { batchSize: 50 });
    const job = await getImportJob(staged.id);
    expect(job.mapping.columns.map((c) => (c.kind === 'trait' ? c.type : c.kind))).toEqual(['field', 'number', 'text', 'boolean', 'text']);
    expect(job.columns[4]!.stats).toMatchObject({ filled: 120, numbers: 119 });
  });

  it('refuses files it cannot read, with the reason, and leaves no job or rows behind', async () => {
    const refusals: [string | Uint8Array, RegExp, number][] = [
      ['', /empty/, 422],
      ['58;2143;5\n44;29;5\n', /only numbers/, 422],
      ['ann@example.com\nbob@example.com\n', /e-mail address/, 422],
      ['id,name\n1,"unclosed\n2,x\n', /not valid CSV after row/, 422],
      [new Uint8Array([0x69, 0x64, 0x0a, 0xff, 0xfe, 0x0a]), /not UTF-8/, 422],
      ['id,name\n1,a\u0000b\n', /NUL/, 422],
    ];
    for (const [text, message, status] of refusals) {
      const attempt = stageProfileCsv(chunks(text), { fileName: 'bad.csv' }, null);
      await expect(attempt, String(message)).rejects.toMatchObject({ status, message: expect.stringMatching(message) });
    }
    expect(await q(`SELECT id FROM profile_imports`)).toEqual([]);
    expect(await q(`SELECT import_id FROM profile_import_rows`)).toEqual([]);
  });

  it('stops at the size limit (413), also when the declared size is too large, with a clear message', async () => {
    const big = `id,x\n${'1,abcdefgh\n'.repeat(1000)}`;
    await expect(stage(big, { maxBytes: 5000 })).rejects.toMatchObject({ status: 413, message: expect.stringMatching(/larger than 0 MB|larger than/) });
    await expect(stageProfileCsv(chunks('id,x\n1,2\n'), { fileName: 'x.csv', declaredBytes: 60 * 1024 * 1024 }, null)).rejects.toMatchObject({ status: 413, message: expect.stringContaining('50 MB') });
    expect(await q(`SELECT id FROM profile_imports`)).toEqual([]);
  });
});

describe('the validation report', () => {
  it('names each problem with its column, count and row numbers, and writes nothing', async () => {
    await getPool().query(`INSERT INTO profiles (external_id, email) VALUES ('other', 'taken@example.com')`);
    const text = [
      'id;email;first name;city;vip;score;signed up',
      'a-1;a1@example.com;A;;yes;1;2024-01-01', //  row 2 fine
      'a-2;not-an-email;B;;maybe;1,5;2024-02-30', // row 3: bad e-mail, vip, score, date
      ';a3@example.com;C;;no;3;', //               row 4: no id
      'a-1;a4@example.com;D;;no;4;', //            row 5: repeats row 2's id
      'a-5;a1@example.com;E;;no;5;', //            row 6: e-mail of row 2
      'a-6;TAKEN@example.com;F;;no;6;', //         row 7: e-mail of another profile
      'a-7;a7@example.com;G', //                   row 8: too few values
    ].join('\n');
    const staged = await stage(text);
    const report = await checkImportJob(staged.id, peopleMapping);
    expect(report.ok).toBe(false);
    expect(report.rows).toBe(7);
    const byKind = Object.fromEntries(report.problems.map((p) => [`${p.kind}:${p.column ?? ''}`, { count: p.count, rows: p.examples.map((e) => e.row) }]));
    expect(byKind).toEqual({
      'columnCount:': { count: 1, rows: [8] },
      'badEmail:email': { count: 1, rows: [3] },
      'wrongType:vip': { count: 1, rows: [3] },
      'wrongType:score': { count: 1, rows: [3] },
      'wrongType:signed up': { count: 1, rows: [3] },
      'missingKey:id': { count: 1, rows: [4] },
      'duplicateKey:id': { count: 1, rows: [5] },
      'duplicateEmail:email': { count: 1, rows: [6] },
      'emailTaken:email': { count: 1, rows: [7] },
    });
    const dup = report.problems.find((p) => p.kind === 'duplicateKey')!;
    expect(dup.examples).toEqual([{ row: 5, value: 'a-1', firstRow: 2 }]);
    expect(report.problems.find((p) => p.kind === 'wrongType' && p.column === 'score')!.examples).toEqual([{ row: 3, value: '1,5' }]);
    expect(report.problems.find((p) => p.column === 'vip')!.message).toBe('"vip": 1 value does not fit (the trait is boolean: it takes yes/no (or true/false) values).');
    // Nothing written: no profile but the existing one, no trait registered, the rows still staged.
    expect(await q(`SELECT external_id FROM profiles`)).toEqual([{ external_id: 'other' }]);
    expect(await q(`SELECT key FROM trait_definitions`)).toEqual([]);
    // And an import of the same file is refused with the same report, writing nothing.
    await expect(runImportJob(staged.id, peopleMapping, null)).rejects.toMatchObject({ status: 422, report: { problems: report.problems } });
    expect(await q(`SELECT external_id FROM profiles`)).toEqual([{ external_id: 'other' }]);
    expect((await getImportJob(staged.id)).status).toBe('FAILED');
  });

  it('a mapping that cannot be used is a 422 listing its problems', async () => {
    const staged = await stage(PEOPLE);
    await expect(checkImportJob(staged.id, { columns: [], rowIds: null })).rejects.toMatchObject({ status: 422, problems: ['The mapping has 0 columns, the file 7.'] });
    await expect(checkImportJob(staged.id, { columns: 'all' })).rejects.toMatchObject({ status: 422 });
  });
});

describe('importing', () => {
  it('upserts by external id, registers the new traits, and a second import of the same file changes nothing', async () => {
    await getPool().query(`INSERT INTO profiles (external_id, email, first_name, city, traits) VALUES ('p-2', NULL, 'Robert', 'Paris', '{"kept": 1}')`);
    const first = await stage(PEOPLE);
    const report = await checkImportJob(first.id, peopleMapping);
    expect(report).toMatchObject({ ok: true, rows: 3, matched: 1, created: 2, newTraits: [{ key: 'vip' }, { key: 'score' }, { key: 'signed_up' }] });
    const result = await runImportJob(first.id, peopleMapping, null);
    expect(result.written).toEqual({ created: 2, updated: 1, unchanged: 0 });
    expect(result.traitsRegistered).toEqual(['vip', 'score', 'signed_up']);
    expect(await profiles()).toEqual([
      { external_id: 'p-1', email: 'ann@example.com', first_name: 'Ann', city: 'Lyon', traits: { vip: true, score: 12.5, signed_up: '2024-01-31' } },
      // An empty cell keeps the value (city Paris), other traits stay (kept).
      { external_id: 'p-2', email: 'bob@example.com', first_name: 'Bob', city: 'Paris', traits: { kept: 1, vip: false, score: 7, signed_up: '2024-02-01' } },
      { external_id: 'p-3', email: null, first_name: 'Zoë', city: 'Saint-Étienne', traits: { vip: true, score: -3, signed_up: '2024-03-01T10:00:00Z' } },
    ]);
    expect(await q(`SELECT key, type::text AS type FROM trait_definitions ORDER BY key`)).toEqual([
      { key: 'score', type: 'number' },
      { key: 'signed_up', type: 'date' },
      { key: 'vip', type: 'boolean' },
    ]);
    expect(await q(`SELECT count(*)::int AS n FROM profile_import_rows`)).toEqual([{ n: 0 }]); // staging discarded
    const job = await getImportJob(first.id);
    expect(job).toMatchObject({ status: 'COMPLETED', phase: null });
    const audited = await q<{ details: Record<string, unknown> }>(`SELECT details FROM audit_log WHERE action = 'profile.import'`);
    expect(audited[0]!.details).toMatchObject({ fileName: 'people.csv', rows: 3, created: 2, updated: 1 });

    const before = await q(`SELECT id, external_id, email, first_name, last_name, country, city, email_consent, traits, created_at, updated_at FROM profiles ORDER BY id`);
    const again = await stage(PEOPLE);
    const second = await runImportJob(again.id, peopleMapping, null);
    expect(second.written).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(second.traitsRegistered).toEqual([]);
    expect(second.evaluation).toEqual({ status: 'not-needed' });
    expect(await q(`SELECT id, external_id, email, first_name, last_name, country, city, email_consent, traits, created_at, updated_at FROM profiles ORDER BY id`)).toEqual(before);
  });

  it('imported traits are segmentable at once, and the segments are re-evaluated after the import (DATA_CHANGE)', async () => {
    await getPool().query(`INSERT INTO trait_definitions (key, label, type) VALUES ('score', 'Score', 'number')`);
    const { id: segmentId } = await createSegment({ name: 'High score', rules: { combinator: 'and', rules: [{ field: 'trait:score', operator: '>=', value: 5 }] } }, null);
    const staged = await stage(PEOPLE);
    const result = await runImportJob(staged.id, peopleMapping, null);
    expect(result.evaluation).toMatchObject({ status: 'completed' });
    const run = await q<{ trigger: string }>(`SELECT trigger::text AS trigger FROM segment_runs ORDER BY id DESC LIMIT 1`);
    expect(run).toEqual([{ trigger: 'DATA_CHANGE' }]);
    const members = await q<{ external_id: string }>(`SELECT p.external_id FROM segment_memberships m JOIN profiles p ON p.id = m.profile_id WHERE m.segment_id = $1 ORDER BY 1`, [segmentId]);
    expect(members.map((m) => m.external_id)).toEqual(['p-1', 'p-2']);
    const vip = parseRules({ combinator: 'and', rules: [{ field: 'trait:vip', operator: 'isTrue' }, { field: 'trait:signed_up', operator: 'before', value: '2024-02-15' }] }, await loadFieldCatalog());
    expect(vip.ok && (await countMatchingProfiles(vip.tree))).toBe(1);
  });

  it('by e-mail: matches existing profiles case-insensitively, new ones take the e-mail as external id', async () => {
    await getPool().query(`INSERT INTO profiles (external_id, email) VALUES ('crm-9', 'ann@example.com')`);
    const staged = await stage('Email,Town\nANN@example.com,Lyon\nnew@example.com,Nice\n');
    const job = await getImportJob(staged.id);
    expect(job.mapping).toEqual({ columns: [{ kind: 'field', field: 'email' }, { kind: 'field', field: 'city' }], rowIds: null });
    const result = await runImportJob(staged.id, job.mapping, null);
    expect(result.key).toEqual({ by: 'email', column: 'Email', prefix: null });
    expect(result.written).toEqual({ created: 1, updated: 1, unchanged: 0 });
    expect(await q(`SELECT external_id, email, city FROM profiles ORDER BY id`)).toEqual([
      { external_id: 'crm-9', email: 'ann@example.com', city: 'Lyon' },
      { external_id: 'new@example.com', email: 'new@example.com', city: 'Nice' },
    ]);
  });

  it('ids and e-mails merged into another profile (tracking identities) update the survivor; two rows for one profile are refused', async () => {
    const survivor = await q<{ id: number }>(`INSERT INTO profiles (external_id, email) VALUES ('p-1', 'first@example.com'), ('other', 'other@example.com') RETURNING id`);
    await getPool().query(`INSERT INTO profile_identities (kind, value, profile_id) VALUES ('user', 'p-2', $1), ('email', 'held@example.com', $2)`, [survivor[0]!.id, survivor[1]!.id]);
    // p-2 was merged into p-1: a file with both names one profile twice.
    const twice = await stage(PEOPLE);
    const report = await checkImportJob(twice.id, peopleMapping);
    expect(report.problems.map((p) => [p.kind, p.examples.map((e) => [e.row, e.firstRow])])).toEqual([['duplicateKey', [[3, 2]]]]);
    // Alone, p-2 updates p-1; an e-mail recorded for another profile is refused as taken.
    const merged = await stage('id;email;city\np-2;;Lyon\np-3;held@example.com;Nice\n');
    const mapping: ImportMapping = { columns: [{ kind: 'field', field: 'externalId' }, { kind: 'field', field: 'email' }, { kind: 'field', field: 'city' }], rowIds: null };
    expect((await checkImportJob(merged.id, mapping)).problems.map((p) => [p.kind, p.examples.map((e) => e.row)])).toEqual([['emailTaken', [3]]]);
    const fine = await stage('id;city\np-2;Lyon\np-3;Nice\n');
    const result = await runImportJob(fine.id, { columns: [{ kind: 'field', field: 'externalId' }, { kind: 'field', field: 'city' }], rowIds: null }, null, { evaluate: false });
    expect(result).toMatchObject({ matched: 1, created: 1, written: { created: 1, updated: 1, unchanged: 0 } });
    expect(await q(`SELECT external_id, city FROM profiles ORDER BY id`)).toEqual([
      { external_id: 'p-1', city: 'Lyon' },
      { external_id: 'other', city: null },
      { external_id: 'p-3', city: 'Nice' },
    ]);
  });

  it('all or nothing: a failure in the middle of the write leaves no profile, no trait and no audit entry, and the file can be imported after', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i + 1};${i % 2 ? 'yes' : 'no'}`);
    const staged = await stage(['age;y'].concat(rows).join('\n'), { batchSize: 1000 });
    const mapping: ImportMapping = { columns: [{ kind: 'trait', key: 'age', label: 'Age', type: 'number' }, { kind: 'trait', key: 'y', label: 'Subscribed', type: 'boolean' }], rowIds: { prefix: 'demo' } };
    expect(await checkImportJob(staged.id, mapping)).toMatchObject({ ok: true, created: 3000 });
    // A database failure on row 2,500 of the insert, after 2,499 rows were written in the same statement.
    await getPool().query(`CREATE FUNCTION test_fail_import() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.external_id = 'demo-2500' THEN RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$`);
    await getPool().query(`CREATE TRIGGER test_fail_import BEFORE INSERT ON profiles FOR EACH ROW EXECUTE FUNCTION test_fail_import()`);
    try {
      const attempt = runImportJob(staged.id, mapping, null);
      await expect(attempt).rejects.toBeInstanceOf(ExpectedError);
      await expect(runImportJob(staged.id, mapping, null)).rejects.toThrow(/wrote nothing: disk full \(test\)/);
      expect(await q(`SELECT count(*)::int AS n FROM profiles`)).toEqual([{ n: 0 }]);
      expect(await q(`SELECT key FROM trait_definitions`)).toEqual([]);
      expect(await q(`SELECT action FROM audit_log`)).toEqual([]);
      const job = await getImportJob(staged.id);
      expect(job).toMatchObject({ status: 'FAILED', error: expect.stringContaining('disk full (test)') });
      expect(await q(`SELECT count(*)::int AS n FROM profile_import_rows WHERE import_id = $1`, [staged.id])).toEqual([{ n: 3000 }]);
    } finally {
      await getPool().query(`DROP TRIGGER test_fail_import ON profiles; DROP FUNCTION test_fail_import()`);
    }
    const retried = await runImportJob(staged.id, mapping, null);
    expect(retried.written.created).toBe(3000);
    expect(await q(`SELECT external_id, traits FROM profiles WHERE external_id IN ('demo-1', 'demo-3000') ORDER BY id`)).toEqual([
      { external_id: 'demo-1', traits: { age: 1, y: false } },
      { external_id: 'demo-3000', traits: { age: 3000, y: true } },
    ]);
  });

  it('one import at a time per file (409), and a discarded upload is gone', async () => {
    const staged = await stage(PEOPLE);
    await runImportJob(staged.id, peopleMapping, null, { evaluate: false });
    await expect(runImportJob(staged.id, peopleMapping, null)).rejects.toMatchObject({ status: 409 });
    await expect(checkImportJob(staged.id, peopleMapping)).rejects.toMatchObject({ status: 409 });
    // An import cut short by a dead process (still IMPORTING an hour later) may be tried again.
    const cut = await stage(PEOPLE);
    await getPool().query(`UPDATE profile_imports SET status = 'IMPORTING' WHERE id = $1`, [cut.id]);
    await expect(runImportJob(cut.id, peopleMapping, null)).rejects.toMatchObject({ status: 409 });
    await getPool().query(`UPDATE profile_imports SET updated_at = now() - interval '61 minutes' WHERE id = $1`, [cut.id]);
    expect((await runImportJob(cut.id, peopleMapping, null, { evaluate: false })).written).toEqual({ created: 0, updated: 0, unchanged: 3 });
    const other = await stage(PEOPLE);
    await discardImportJob(other.id);
    await expect(getImportJob(other.id)).rejects.toMatchObject({ status: 404 });
  });
});

const BANK = path.resolve(import.meta.dirname, '../../../../shared/data/bank-marketing/bank-full.csv');

describe.runIf(existsSync(BANK))('the real bank-marketing file (45,211 clients)', () => {
  it('imports as segmentable traits with row ids; the count of age >= 60 matches the file; importing it again changes nothing', { timeout: 240_000 }, async () => {
    const lines = readFileSync(BANK, 'utf8').trim().split('\n').slice(1);
    const expected = lines.filter((l) => Number(l.split(';')[0]) >= 60).length;
    const staged = await stageProfileCsv(createReadStream(BANK), { fileName: 'bank-full.csv' }, null);
    expect(staged).toMatchObject({ rows: 45211, delimiter: ';' });
    const job = await getImportJob(staged.id);
    const types = Object.fromEntries(job.mapping.columns.map((c) => (c.kind === 'trait' ? [c.key, c.type] : ['?', c.kind])));
    expect(types).toEqual({
      age: 'number', job: 'text', marital: 'text', education: 'text', default: 'boolean', balance: 'number', housing: 'boolean', loan: 'boolean',
      contact: 'text', day: 'number', month: 'text', duration: 'number', campaign: 'number', pdays: 'number', previous: 'number', poutcome: 'text', y: 'boolean',
    });
    const mapping = { ...job.mapping, rowIds: { prefix: 'bank' } };
    expect(await checkImportJob(staged.id, mapping)).toMatchObject({ ok: true, rows: 45211, created: 45211 });
    const result = await runImportJob(staged.id, mapping, null, { evaluate: false });
    expect(result.written).toEqual({ created: 45211, updated: 0, unchanged: 0 });
    const rule = parseRules({ combinator: 'and', rules: [{ field: 'trait:age', operator: '>=', value: 60 }] }, await loadFieldCatalog());
    expect(rule.ok && (await countMatchingProfiles(rule.tree))).toBe(expected);
    expect(await q(`SELECT traits FROM profiles WHERE external_id = 'bank-1'`)).toEqual([
      { traits: { age: 58, job: 'management', marital: 'married', education: 'tertiary', default: false, balance: 2143, housing: true, loan: false, contact: 'unknown', day: 5, month: 'may', duration: 261, campaign: 1, pdays: -1, previous: 0, poutcome: 'unknown', y: false } },
    ]);
    const again = await stageProfileCsv(createReadStream(BANK), { fileName: 'bank-full.csv' }, null);
    const second = await runImportJob(again.id, mapping, null, { evaluate: false });
    expect(second.written).toEqual({ created: 0, updated: 0, unchanged: 45211 });
  });
});
