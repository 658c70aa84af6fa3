import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { useTestDatabase } from '../test/database';
import { findExportableVersion, versionCsvStream } from './export';
import { freezeAudience } from './freeze';
import { countryIs, makeAudienceRow, makeProfile, makeUser } from './testing';
import { checkUpload, uploadVersion } from './upload';

useTestDatabase();
const NOW = new Date('2026-06-01T12:00:00Z');
let userId = 0;
beforeAll(async () => {
  userId = await makeUser();
});

const bytes = (text: string) => new TextEncoder().encode(text);
async function members(audienceId: number, number: number): Promise<number[]> {
  const r = await getPool().query<{ profile_id: number }>(
    `SELECT r.profile_id FROM audience_snapshot_rows r JOIN audience_versions v ON v.id = r.version_id WHERE v.audience_id = $1 AND v.number = $2 ORDER BY r.row_no`,
    [audienceId, number],
  );
  return r.rows.map((row) => row.profile_id);
}
async function versionCount(audienceId: number): Promise<number> {
  return (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM audience_versions WHERE audience_id = $1`, [audienceId])).rows[0]!.n;
}
async function csvOf(audienceId: number, number: number): Promise<Buffer> {
  return Buffer.from(await new Response(versionCsvStream(await findExportableVersion(audienceId, number))).arrayBuffer());
}

describe('uploading a static list', () => {
  it('reports matched, unknown, duplicate and empty lines the same way every time, and stores the matched profiles', async () => {
    const a = await makeProfile({ externalId: 'up-a', email: 'ann@up.test', country: 'Upland' });
    const b = await makeProfile({ externalId: 'up-b', email: 'Bob@Up.test', country: 'Upland' });
    const audience = await makeAudienceRow('Uploaded', countryIs('Upland'), ['externalId', 'email']);
    const file = bytes('\uFEFFE-mail,Name\r\n  BOB@up.test ,Bob\r\nann@up.test,Ann\r\nnobody@up.test,X\r\n\r\nann@UP.test,Ann again\r\n,no mail\r\nnobody@up.test,X again\r\n');
    const checked = await checkUpload(audience, file, 'list.csv');
    expect(checked).toMatchObject({
      fileName: 'list.csv',
      matchedBy: 'email',
      column: 'E-mail',
      dataRows: 6,
      matched: 2,
      unknown: 1,
      duplicate: 2,
      empty: 1,
      unknownLines: [{ line: 4, value: 'nobody@up.test' }],
      duplicateLines: [
        { line: 6, value: 'ann@up.test', firstLine: 3 },
        { line: 8, value: 'nobody@up.test', firstLine: 4 },
      ],
      emptyLines: [7],
    });
    expect(await checkUpload(audience, file, 'list.csv')).toEqual(checked);
    expect(await versionCount(audience)).toBe(0); // a check stores nothing

    const uploaded = await uploadVersion(audience, file, 'C:\\Users\\me\\list.csv', userId, NOW);
    expect(uploaded).toMatchObject({ number: 1, rowCount: 2, report: { ...checked, fileName: 'list.csv' } });
    expect(await members(audience, 1)).toEqual([a, b]); // profile id order, as a freeze
    const version = await getPool().query(`SELECT source, rules, columns, upload, created_by_id FROM audience_versions WHERE id = $1`, [uploaded.versionId]);
    expect(version.rows[0]).toMatchObject({ source: 'UPLOAD', rules: null, columns: ['externalId', 'email'], created_by_id: userId, upload: { fileName: 'list.csv', matchedBy: 'email', matched: 2, unknown: 1, duplicate: 2, empty: 1, sha256: checked.sha256 } });
    expect((await csvOf(audience, 1)).toString('utf8')).toBe('external_id,email\r\nup-a,ann@up.test\r\nup-b,Bob@Up.test\r\n');
    const audited = await getPool().query(`SELECT details FROM audit_log WHERE action = 'audience.upload' AND entity_id = $1`, [String(audience)]);
    expect(audited.rows[0].details).toMatchObject({ number: 1, rowCount: 2, fileName: 'list.csv' });
  });

  it('an exported version uploaded again gives the identical membership', async () => {
    const country = 'Roundtrip';
    const ids = [];
    for (let i = 0; i < 30; i++) {
      // Hostile ids and e-mails: formula-like (neutralised in the export), commas, quotes, spaces.
      const externalId = i === 0 ? '-5' : i === 1 ? '=1+1' : i === 2 ? 'a,"b"' : i === 3 ? '@home' : `rt-${i}`;
      ids.push(await makeProfile({ externalId, email: i % 3 === 0 ? null : `RT${i}@Example.test`, country, firstName: `=HYPERLINK("x",${i})` }));
    }
    await makeProfile({ externalId: 'rt-outside', country: 'Elsewhere' });
    const audience = await makeAudienceRow('Round trip', countryIs(country), ['firstName', 'email', 'externalId', 'country']);
    await freezeAudience(audience, userId, NOW);
    const exported = await csvOf(audience, 1);
    expect(exported.toString('utf8')).toContain("'-5");

    const byId = await uploadVersion(audience, exported, 'export.csv', userId, NOW);
    expect(byId.report).toMatchObject({ matchedBy: 'externalId', dataRows: 30, matched: 30, unknown: 0, duplicate: 0, empty: 0 });
    expect(await members(audience, 2)).toEqual(await members(audience, 1));
    expect((await csvOf(audience, 2)).equals(exported)).toBe(true); // nothing changed in between: the same bytes

    // The same file keyed by e-mail only (the external id column dropped) names the profiles that have one.
    // A one-column file writes a missing e-mail as a blank line, which is skipped.
    const records = parse(exported.toString('utf8')) as string[][];
    const emailsOnly = ['Email', ...records.slice(1).map((r) => r[1])].join('\r\n');
    const byEmail = await uploadVersion(audience, bytes(emailsOnly), 'emails.csv', userId, NOW);
    expect(byEmail.report).toMatchObject({ matchedBy: 'email', dataRows: 20, matched: 20, empty: 0 });
    expect(await members(audience, 3)).toEqual(ids.filter((_, i) => i % 3 !== 0));
  });

  it('stores nothing for a file it cannot use or that names no profile', async () => {
    await makeProfile({ externalId: 'bad-1', country: 'Badland' });
    const audience = await makeAudienceRow('Bad files', countryIs('Badland'), ['externalId']);
    const cases: [string, RegExp][] = [
      ['name\nAnn\n', /No column to match on/],
      ['external_id\nnobody-1\nnobody-2\n', /None of the 2 rows names a profile.*nothing was stored/],
      ['external_id\n"broken\n', /not valid CSV/],
      ['', /empty/],
    ];
    for (const [text, message] of cases) {
      await expect(uploadVersion(audience, bytes(text), 'bad.csv', userId, NOW)).rejects.toMatchObject({ status: 422, message: expect.stringMatching(message) });
    }
    expect(await versionCount(audience)).toBe(0);
    // The number was not used up: the first good upload is version 1.
    expect((await uploadVersion(audience, bytes('id\nbad-1\n'), 'good.csv', userId, NOW)).number).toBe(1);
    await expect(uploadVersion(987_654, bytes('id\nbad-1\n'), 'x.csv', userId, NOW)).rejects.toMatchObject({ status: 404 });
    await expect(checkUpload(987_654, bytes('id\nbad-1\n'), 'x.csv')).rejects.toMatchObject({ status: 404 });
  });
});
