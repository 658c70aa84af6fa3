import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { and, conditions, countByApi, expectLiveCount, formatInt, setCondition, uniqueName } from './support';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

// Export columns after the edits below: e-mail removed, first order date added and moved before the last.
const HEADER = ['external_id', 'country', 'order_count', 'total_spent', 'first_order_at', 'last_order_at'];

test('create an audience, freeze it twice and download a version as CSV', async ({ page }) => {
  const name = uniqueName('E2E UK regulars');
  const rules = and({ field: 'orderCount', operator: '>=', value: 15 }, { field: 'country', operator: '=', value: 'United Kingdom' });
  const expected = await countByApi(page.request, rules);
  expect(expected).toBeGreaterThan(0);

  await page.goto('/audiences');
  await page.getByTestId('new-audience').click();
  await expect(page).toHaveURL(/\/audiences\/new$/);
  await page.getByLabel('Name', { exact: true }).fill(name);

  // Rules: "Number of orders ≥ 15" and "Country is United Kingdom".
  const first = conditions(page).nth(0);
  await setCondition(first, 'Number of orders', '≥');
  await first.getByLabel('Number of orders', { exact: true }).fill('15');
  await page.getByTestId('rule-builder').getByTestId('add-rule').click();
  const second = conditions(page).nth(1);
  await setCondition(second, 'Country', 'is');
  await second.getByLabel('Country value', { exact: true }).fill('United Kingdom');
  await expectLiveCount(page, expected);

  // Columns: drop the e-mail, add the first order date and put it before the last order date.
  const chooser = page.getByTestId('column-chooser');
  await chooser.getByRole('button', { name: 'Remove email' }).click();
  await page.getByTestId('column-add').selectOption('firstOrderAt');
  await chooser.getByRole('button', { name: 'Move firstOrderAt up' }).click();
  await expect(chooser.locator('code')).toHaveText(HEADER);

  // The preview counts the same profiles and shows the chosen columns.
  await expect(page.getByTestId('preview-count')).toHaveText(`${formatInt(expected)} matching profiles`);
  const preview = page.getByRole('table', { name: 'Preview rows' });
  await expect(preview.locator('thead th')).toHaveText(HEADER);
  await expect(preview.locator('tbody tr').first()).toBeVisible();

  await page.getByTestId('audience-save').click();
  await expect(page).toHaveURL(/\/audiences\/\d+$/);
  const audienceId = Number(new URL(page.url()).pathname.split('/').pop());
  await expect(page.getByTestId('audience-title')).toHaveText(name);
  await expect(page.getByTestId('audience-columns').locator('> *')).toHaveText(HEADER);
  await expect(page.getByTestId('versions-table')).toContainText('No snapshot yet');

  // Freeze version 1: it holds the rows that match now.
  await page.getByTestId('freeze-button').click();
  await expect(page.getByTestId('freeze-result')).toHaveText(`Version 1 frozen with ${formatInt(expected)} rows.`);
  const v1 = page.getByTestId('version-row-1');
  await expect(v1).toHaveAttribute('data-rows', String(expected));
  await expect(v1).toContainText(formatInt(expected));

  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('download-version-1').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/-v1-\d+rows\.csv$/);
  const bytes = await readFile(await download.path());
  checkCsv(bytes, expected);

  // The same version fetched again is the same bytes, served as UTF-8 CSV.
  const again = await page.request.get(`/api/audiences/${audienceId}/versions/1/csv`);
  expect(again.status()).toBe(200);
  expect(again.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(Buffer.compare(await again.body(), bytes)).toBe(0);

  // Freeze again: version 2 is listed next to version 1 (nothing changed in between, so the same rows).
  await page.getByTestId('freeze-button').click();
  await expect(page.getByTestId('freeze-result')).toHaveText(`Version 2 frozen with ${formatInt(expected)} rows.`);
  await expect(page.getByTestId('version-row-2')).toHaveAttribute('data-rows', String(expected));
  await expect(page.getByTestId('version-row-1')).toBeVisible();
  await expect(page.getByTestId('versions-table').locator('tr[data-version]')).toHaveCount(2);
  const v2 = await downloadCsv(page, audienceId, 2);
  expect(Buffer.compare(v2, bytes), 'version 2 has the same bytes as version 1').toBe(0);
});

async function downloadCsv(page: Page, audienceId: number, number: number): Promise<Buffer> {
  const response = await page.request.get(`/api/audiences/${audienceId}/versions/${number}/csv`);
  expect(response.status()).toBe(200);
  return response.body();
}

/** RFC 4180 as PRODUCT.md asks: UTF-8 without BOM, header row, CRLF after every record, ISO 8601 UTC timestamps. */
function checkCsv(bytes: Buffer, rowCount: number) {
  expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // throws on invalid UTF-8
  expect(text.endsWith('\r\n')).toBe(true);
  expect(/(?<!\r)\n/.test(text), 'a line ends with LF only').toBe(false);
  const lines = text.slice(0, -2).split('\r\n');
  expect(lines[0]).toBe(HEADER.join(','));
  expect(lines.length - 1).toBe(rowCount);

  const records = parse(text, { record_delimiter: '\r\n' }) as string[][];
  expect(records[0]).toEqual(HEADER);
  const rows = records.slice(1);
  expect(rows).toHaveLength(rowCount);
  const col = (header: string) => HEADER.indexOf(header);
  const ids = new Set<string>();
  for (const row of rows) {
    expect(row).toHaveLength(HEADER.length);
    ids.add(row[col('external_id')]!);
    // The rows are the audience's rules applied: 15+ orders, in the United Kingdom.
    expect(row[col('country')]).toBe('United Kingdom');
    expect(Number(row[col('order_count')])).toBeGreaterThanOrEqual(15);
    expect(row[col('total_spent')]).toMatch(/^-?\d+(\.\d+)?$/);
    expect(row[col('first_order_at')]).toMatch(ISO_UTC);
    expect(row[col('last_order_at')]).toMatch(ISO_UTC);
    expect(row[col('first_order_at')]! <= row[col('last_order_at')]!).toBe(true);
  }
  expect(ids.size).toBe(rowCount);
}

test('compare two versions, and upload an exported version back as a static list with its report', async ({ page }) => {
  const name = uniqueName('E2E compare');
  const broad = and({ field: 'orderCount', operator: '>=', value: 10 }, { field: 'country', operator: '=', value: 'United Kingdom' });
  const narrow = and({ field: 'orderCount', operator: '>=', value: 10 }, { field: 'country', operator: '=', value: 'United Kingdom' }, { field: 'totalSpent', operator: '>', value: 5000 });
  const broadCount = await countByApi(page.request, broad);
  const narrowCount = await countByApi(page.request, narrow);
  expect(narrowCount).toBeGreaterThan(0);
  expect(narrowCount).toBeLessThan(broadCount);

  // v1: the broad rules.
  await page.goto('/audiences/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  const first = conditions(page).nth(0);
  await setCondition(first, 'Number of orders', '≥');
  await first.getByLabel('Number of orders', { exact: true }).fill('10');
  await page.getByTestId('rule-builder').getByTestId('add-rule').click();
  const second = conditions(page).nth(1);
  await setCondition(second, 'Country', 'is');
  await second.getByLabel('Country value', { exact: true }).fill('United Kingdom');
  await expectLiveCount(page, broadCount);
  await page.getByTestId('audience-save').click();
  await expect(page).toHaveURL(/\/audiences\/\d+$/);
  const audienceId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByTestId('freeze-button').click();
  await expect(page.getByTestId('freeze-result')).toHaveText(`Version 1 frozen with ${formatInt(broadCount)} rows.`);

  // v2: one more condition; the versions list shows what changed.
  await page.getByTestId('edit-audience').click();
  await page.getByTestId('rule-builder').getByTestId('add-rule').click();
  const third = conditions(page).nth(2);
  await setCondition(third, 'Total spent', '>');
  await third.getByLabel('Total spent', { exact: true }).fill('5000');
  await expectLiveCount(page, narrowCount);
  await page.getByTestId('audience-save').click();
  await expect(page).toHaveURL(new RegExp(`/audiences/${audienceId}$`));
  await page.getByTestId('freeze-button').click();
  await expect(page.getByTestId('freeze-result')).toHaveText(`Version 2 frozen with ${formatInt(narrowCount)} rows.`);
  await expect(page.getByTestId('change-2')).toContainText('Changed from v1:');
  await expect(page.getByTestId('change-2')).toContainText('+ Total spent > 5000');
  await expect(page.getByTestId('definition-1')).not.toContainText('Changed');

  // Compare v1 -> v2: nobody added, the big spenders kept, the rest removed.
  await page.getByTestId('compare-version-2').click();
  await expect(page).toHaveURL(new RegExp(`/audiences/${audienceId}/compare\\?from=1&to=2$`));
  await expect(page.getByTestId('compare-added')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('compare-kept')).toHaveAttribute('data-count', String(narrowCount));
  await expect(page.getByTestId('compare-removed')).toHaveAttribute('data-count', String(broadCount - narrowCount));
  const removedDownload = page.waitForEvent('download');
  await page.getByTestId('compare-download-removed').click();
  const removed = await removedDownload;
  expect(removed.suggestedFilename()).toMatch(new RegExp(`-v1-to-v2-removed-${broadCount - narrowCount}rows\\.csv$`));
  const removedRows = parse(await readFile(await removed.path()), { record_delimiter: '\r\n' }) as string[][];
  expect(removedRows).toHaveLength(1 + broadCount - narrowCount);
  expect(removedRows[0]).toEqual(['external_id', 'email', 'country', 'order_count', 'total_spent', 'last_order_at']);
  for (const row of removedRows.slice(1)) expect(Number(row[4])).toBeLessThanOrEqual(5000);
  // The form picks any two versions, the other way round too.
  await page.getByTestId('compare-from').selectOption('2');
  await page.getByTestId('compare-to').selectOption('1');
  await page.getByTestId('compare-submit').click();
  await expect(page.getByTestId('compare-added')).toHaveAttribute('data-count', String(broadCount - narrowCount));
  await expect(page.getByTestId('compare-removed')).toHaveAttribute('data-count', '0');

  // Upload v1 as exported, with a BOM, a duplicate line and an unknown id: check first, then create v3.
  await page.goto(`/audiences/${audienceId}`);
  const exported = await downloadCsv(page, audienceId, 1);
  const lines = exported.toString('utf8').split('\r\n');
  const file = Buffer.from(`\uFEFF${[...lines.slice(0, -1), lines[1], 'no-such-customer-e2e,,,,,', ''].join('\r\n')}`, 'utf8');
  const upload = page.getByTestId('upload-list');
  await upload.getByTestId('upload-file').setInputFiles({ name: 'v1-again.csv', mimeType: 'text/csv', buffer: file });
  await upload.getByTestId('upload-check').click();
  const report = page.getByTestId('upload-report');
  await expect(page.getByTestId('upload-outcome')).toHaveText('Checked: nothing was stored.');
  await expect(report).toHaveAttribute('data-matched', String(broadCount));
  await expect(report).toHaveAttribute('data-duplicate', '1');
  await expect(report).toHaveAttribute('data-unknown', '1');
  await expect(report).toContainText(`line ${broadCount + 3}: no-such-customer-e2e`);
  await expect(page.getByTestId('versions-table').locator('tr[data-version]')).toHaveCount(2);
  await upload.getByTestId('upload-create').click();
  await expect(page.getByTestId('upload-outcome')).toHaveText(`Version 3 created with ${formatInt(broadCount)} rows.`);
  await expect(page.getByTestId('version-row-3')).toHaveAttribute('data-rows', String(broadCount));
  await expect(page.getByTestId('definition-3')).toContainText('Uploaded list v1-again.csv');

  // The uploaded list has exactly v1's membership.
  await page.goto(`/audiences/${audienceId}/compare?from=1&to=3`);
  await expect(page.getByTestId('compare-kept')).toHaveAttribute('data-count', String(broadCount));
  await expect(page.getByTestId('compare-added')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('compare-removed')).toHaveAttribute('data-count', '0');
  expect(Buffer.compare(await downloadCsv(page, audienceId, 3), exported), 'nothing changed since v1: the same bytes').toBe(0);

  // A file without a usable column is refused and stores nothing.
  await page.goto(`/audiences/${audienceId}`);
  await upload.getByTestId('upload-file').setInputFiles({ name: 'names.csv', mimeType: 'text/csv', buffer: Buffer.from('name\r\nAnn\r\n') });
  await upload.getByTestId('upload-create').click();
  await expect(upload.getByRole('alert')).toContainText('No column to match on');
  await expect(page.getByTestId('versions-table').locator('tr[data-version]')).toHaveCount(3);
});

test('download a version as an ad platform customer list', async ({ page }) => {
  const name = uniqueName('E2E preset');
  const rules = and({ field: 'orderCount', operator: '>=', value: 40 });
  const expected = await countByApi(page.request, rules);
  await page.goto('/audiences/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  const first = conditions(page).nth(0);
  await setCondition(first, 'Number of orders', '≥');
  await first.getByLabel('Number of orders', { exact: true }).fill('40');
  await page.getByTestId('column-add-customer-list').click();
  await page.getByTestId('audience-save').click();
  await expect(page).toHaveURL(/\/audiences\/\d+$/);
  await page.getByTestId('freeze-button').click();
  await expect(page.getByTestId('freeze-result')).toHaveText(`Version 1 frozen with ${formatInt(expected)} rows.`);

  await page.getByTestId('download-preset').selectOption('google');
  await page.getByTestId('download-hash').check();
  await page.getByTestId('download-bom').check();
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('download-version-1').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(new RegExp(`-v1-${expected}rows-google-sha256\\.csv$`));
  const bytes = await readFile(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const records = parse(bytes.subarray(3), { record_delimiter: '\r\n' }) as string[][];
  expect(records[0]).toEqual(['Email', 'Phone', 'First Name', 'Last Name', 'Country', 'Zip']);
  expect(records).toHaveLength(1 + expected);
  for (const row of records.slice(1)) {
    expect(row[0] === '' || /^[0-9a-f]{64}$/.test(row[0]!)).toBe(true);
    expect(row[4] === '' || /^[A-Z]{2}$/.test(row[4]!)).toBe(true);
  }
  expect(records.slice(1).some((r) => r[4] === 'GB')).toBe(true);
});

test('an admin creates an API key, an outside system downloads a version with it, and revoking it locks it out', async ({ page, playwright }) => {
  const name = uniqueName('E2E API');
  const rules = and({ field: 'orderCount', operator: '>=', value: 30 });
  const expected = await countByApi(page.request, rules);
  await page.goto('/audiences/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  const first = conditions(page).nth(0);
  await setCondition(first, 'Number of orders', '≥');
  await first.getByLabel('Number of orders', { exact: true }).fill('30');
  await page.getByTestId('audience-save').click();
  await expect(page).toHaveURL(/\/audiences\/\d+$/);
  const audienceId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByTestId('freeze-button').click();
  await expect(page.getByTestId('freeze-result')).toHaveText(`Version 1 frozen with ${formatInt(expected)} rows.`);
  const inApp = await downloadCsv(page, audienceId, 1);

  await page.goto('/admin/api-keys');
  await page.getByTestId('create-api-key-name').fill(name);
  await page.getByTestId('create-api-key-submit').click();
  const key = (await page.getByTestId('new-api-key').textContent())!.trim();
  expect(key).toMatch(/^twk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
  const prefix = key.slice(0, 12);
  const row = page.getByTestId(`api-key-row-${prefix}`);
  await expect(row.getByTestId('api-key-scopes')).toHaveText('audience:download');
  await page.getByTestId('new-api-key-done').click();
  await expect(page.getByTestId('new-api-key')).toHaveCount(0); // shown once

  // An outside client: no cookies, only the key.
  const outside = await playwright.request.newContext({ baseURL: new URL(page.url()).origin, storageState: { cookies: [], origins: [] } });
  const url = `/api/v1/audiences/${audienceId}/versions/1.csv`;
  expect((await outside.get(url)).status()).toBe(401);
  const ok = await outside.get(url, { headers: { Authorization: `Bearer ${key}` } });
  expect(ok.status()).toBe(200);
  expect(ok.headers()['content-disposition']).toMatch(new RegExp(`attachment; filename=".*-v1-${expected}rows\\.csv"`));
  expect(Buffer.compare(await ok.body(), inApp)).toBe(0);
  expect((await outside.get(`/api/v1/audiences/${audienceId}/versions/9.csv`, { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(404);

  // Without the scope: 403; after revoking: 401.
  await page.reload();
  await row.getByTestId(`edit-api-key-${prefix}`).click();
  await row.locator('input[value="audience:download"]').uncheck();
  await row.locator('input[value="api:read"]').check();
  await row.getByTestId('edit-api-key-save').click();
  await expect(row.getByTestId('api-key-scopes')).toHaveText('api:read');
  expect((await outside.get(url, { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(403);
  page.once('dialog', (dialog) => dialog.accept());
  await row.getByTestId(`revoke-api-key-${prefix}`).click();
  await expect(row).toHaveAttribute('data-revoked', 'true');
  expect((await outside.get(url, { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(401);
  await outside.dispose();
});
