import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { conditions, countByApi, expectLiveCount, formatInt, setCondition } from './support';

// The real UCI Bank Marketing file (45,211 clients, semicolon-separated, quoted header), beside the checkout.
const BANK = path.resolve('../shared/data/bank-marketing/bank-full.csv');

/** What the file says, counted here without the app: clients aged 60 or more, and clients who subscribed. */
function countsFromFile() {
  const rows = parse(readFileSync(BANK), { delimiter: ';', columns: true }) as Record<string, string>[];
  return { rows: rows.length, age60: rows.filter((r) => Number(r.age) >= 60).length, subscribed: rows.filter((r) => r.y === 'yes').length };
}

test('the bank-marketing file imports through the import screen and becomes segmentable traits', async ({ page }) => {
  test.setTimeout(240_000);
  const expected = countsFromFile();
  expect(expected.rows).toBe(45211);

  await page.goto('/import');
  await expect(page.getByRole('heading', { name: 'Import profiles' })).toBeVisible();
  await page.getByLabel('CSV file').setInputFiles(BANK);
  await page.getByRole('button', { name: 'Upload' }).click();

  // Staged and read: the delimiter, the columns, and the type of each new trait inferred from every row.
  await expect(page.getByTestId('file-summary')).toHaveText(/45,211 rows, 17 columns, semicolon-separated/, { timeout: 120_000 });
  const types: Record<string, string> = { age: 'number', balance: 'number', default: 'boolean', housing: 'boolean', loan: 'boolean', y: 'boolean', job: 'text', marital: 'text', education: 'text', month: 'text' };
  for (const [column, type] of Object.entries(types)) {
    await expect(page.getByLabel(`Import column ${column} as`, { exact: true })).toHaveValue('trait');
    await expect(page.getByLabel(`Type of ${column}`, { exact: true })).toHaveValue(type);
  }
  await expect(page.getByLabel('Trait key for default', { exact: true })).toHaveValue('default');

  // No id column: row numbers as ids, with a prefix (idempotent for the same file).
  await expect(page.getByLabel('The file has no id column: use row numbers as ids')).toBeChecked();
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByRole('list', { name: 'Mapping problems' })).toContainText('The prefix of row ids needs 1 to 40');
  await page.getByLabel('Id prefix', { exact: true }).fill('bank');

  // The validation report comes before anything is written.
  await page.getByRole('button', { name: 'Check file' }).click();
  const report = page.getByTestId('check-report');
  await expect(report).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('report-created')).toHaveText(formatInt(45211));
  const before = await countByApi(page.request, { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 0 }] });

  await page.getByRole('button', { name: `Import ${formatInt(45211)} rows` }).click();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  const result = page.getByTestId('import-result');
  await expect(result).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('result-created')).toHaveText(formatInt(45211));
  await expect(result).toContainText('New traits: age, job, marital, education, default, balance, housing, loan, contact, day, month, duration, campaign, pdays, previous, poutcome, y');
  await expect(result).toContainText('Segments re-evaluated');

  // Segmentable at once: the live count of rules on the imported traits equals the file's own figures.
  expect(await countByApi(page.request, { combinator: 'and', rules: [{ field: 'trait:age', operator: '>=', value: 60 }] })).toBe(expected.age60);
  expect(await countByApi(page.request, { combinator: 'and', rules: [{ field: 'trait:y', operator: 'isTrue' }] })).toBe(expected.subscribed);
  expect(await countByApi(page.request, { combinator: 'and', rules: [{ field: 'orderCount', operator: '>=', value: 0 }] })).toBe(before + 45211);

  // The history lists the import.
  await expect(page.getByRole('table', { name: 'Recent imports' }).getByRole('row', { name: /bank-full\.csv/ }).first()).toContainText('imported');

  // And the segment builder offers the new traits, with the same live count.
  await page.goto('/segments/new');
  const rule = conditions(page).nth(0);
  await expect(rule.getByTestId('fields').locator('optgroup[label="Traits"] option')).toContainText(['Age', 'Balance', 'Y']);
  await setCondition(rule, 'Age', '≥');
  await rule.getByLabel('Age', { exact: true }).fill('60');
  await expectLiveCount(page, expected.age60);
});
