import { expect, test, type Page } from '@playwright/test';
import { and, conditions, countByApi, expectLiveCount, formatInt, setCondition, setEventWindow, uniqueName, type Rule } from './support';

// The rule language's newer values, built in the browser: each live count must equal what the
// count route answers for the rules written out by hand, so the editors write what the parser reads.

test('register a trait on the Traits page, build a segment with it, a relative window and a filtered event, and read it back', async ({ page }) => {
  const key = `tier_${Date.now().toString(36)}`;
  const label = uniqueName('Loyalty tier');

  await page.goto('/segments');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Traits' }).click();
  await expect(page).toHaveURL(/\/traits$/);
  await expect(page.getByRole('heading', { name: 'Traits', exact: true })).toBeVisible();

  // A key that is not an identifier is refused with the registry's words, and nothing is listed.
  await page.getByLabel('Key', { exact: true }).fill('loyalty tier');
  await page.getByLabel('Label', { exact: true }).fill(label);
  await page.getByTestId('trait-register').click();
  await expect(page.getByTestId('register-trait-form')).toContainText('A trait key starts with a letter');
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByLabel('Type', { exact: true }).selectOption('text');
  await page.getByTestId('trait-register').click();
  await expect(page.getByTestId('trait-registered')).toContainText(label);
  const row = page.locator(`[data-testid="trait-row"][data-trait-key="${key}"]`);
  await expect(row.getByTestId('trait-label-text')).toHaveText(label);
  await expect(row.getByTestId('trait-type-text')).toHaveText('Text');
  await expect(row.getByTestId('trait-with-value')).toHaveText('0'); // the demo profiles carry no custom traits

  const recent: Rule = { field: 'lastActivityAt', operator: 'inLast', value: { amount: 3, unit: 'months' } };
  const noTier: Rule = { field: `trait:${key}`, operator: 'null', value: '' };
  const ordered: Rule = { field: 'event:order', operator: 'atLeast', value: { count: 1, days: 365, where: [{ on: 'revenue', operator: '>=', value: 10 }] } };
  const expected = await countByApi(page.request, and(recent, noTier, ordered));
  const recentOnly = await countByApi(page.request, and(recent));
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThanOrEqual(recentOnly);

  const name = uniqueName('E2E recent buyers without a tier');
  await page.goto('/segments/new');
  await page.getByLabel('Name', { exact: true }).fill(name);

  // (a) Last activity date in the last 3 months.
  const first = conditions(page).nth(0);
  await setCondition(first, 'Last activity date', 'in the last');
  await first.getByLabel('Amount of time', { exact: true }).fill('3');
  await first.getByLabel('Unit of time', { exact: true }).selectOption('months');
  await expectLiveCount(page, recentOnly);

  // (b) The registered trait, offered under Traits: is empty.
  await addCondition(page);
  const second = conditions(page).nth(1);
  await expect(second.getByTestId('fields').locator('optgroup[label="Traits"] option')).toContainText([label]);
  await setCondition(second, label, 'is empty');

  // (c) Placed orders at least 1 time in the last 365 days where revenue ≥ 10.
  await addCondition(page);
  const third = conditions(page).nth(2);
  await setCondition(third, 'Placed orders', 'at least');
  await setEventWindow(third, 1, 365);
  await third.getByTestId('rule-filter-add').click();
  const filter = third.getByTestId('rule-event-filter');
  await expect(filter).toHaveCount(1);
  await expect(filter.getByLabel('Event condition 1: revenue or property', { exact: true })).toHaveValue('revenue');
  await filter.getByLabel('Event condition 1: comparison', { exact: true }).selectOption({ label: '≥' });
  await filter.getByLabel('Event condition 1: revenue', { exact: true }).fill('10');
  await expectLiveCount(page, expected);

  // A filter can be removed, and the count follows; put it back.
  await filter.getByTestId('rule-filter-remove').click();
  await expect(third.getByTestId('rule-event-filter')).toHaveCount(0);
  await expectLiveCount(page, await countByApi(page.request, and(recent, noTier, { ...ordered, value: { count: 1, days: 365 } })));
  await third.getByTestId('rule-filter-add').click();
  await third.getByLabel('Event condition 1: revenue', { exact: true }).fill('10');
  await expectLiveCount(page, expected);

  await page.getByTestId('save-segment').click();
  await expect(page).toHaveURL(/\/segments\/\d+$/);
  const segmentUrl = page.url();
  await expect(page.getByTestId('segment-title')).toHaveText(name);
  await expect(page.getByTestId('member-count')).toHaveText(formatInt(expected));
  await expect(page.getByTestId('rules-summary')).toHaveText(
    `Customers whose last activity date is in the last 3 months and whose ${label[0]!.toLowerCase()}${label.slice(1)} is empty` +
      ' and who placed at least 1 order with revenue at least 10 in the last 365 days',
  );

  // The edit page reads the trait condition back from the registry's catalog.
  await page.goto(`${segmentUrl}/edit`);
  await expect(conditions(page)).toHaveCount(3);
  await expect(conditions(page).nth(1).getByTestId('fields')).toHaveValue(`trait:${key}`);
  await expect(conditions(page).nth(0).getByLabel('Unit of time', { exact: true })).toHaveValue('months');
  await expect(conditions(page).nth(2).getByLabel('Event condition 1: revenue', { exact: true })).toHaveValue('10');
  await expectLiveCount(page, expected);

  // While the segment uses it, the trait cannot be removed; the registry says who uses it.
  await page.goto('/traits');
  await row.getByTestId('trait-remove').click();
  await row.getByTestId('trait-remove').click();
  await expect(page.getByTestId('traits-notice')).toHaveText(`Cannot remove "${key}": segment "${name}" uses it.`);
  await expect(row).toBeVisible();
  // Relabelling is allowed.
  await row.getByTestId('trait-edit').click();
  await row.getByTestId('trait-edit-label').fill(`${label} (renamed)`);
  await row.getByTestId('trait-save').click();
  await expect(row.getByTestId('trait-label-text')).toHaveText(`${label} (renamed)`);
});

test('Match case on a text condition is kept with the rule, counted and saved', async ({ page }) => {
  const contains = (value: string, caseSensitive?: boolean) => ({ field: 'country', operator: 'contains', value, ...(caseSensitive ? { caseSensitive } : {}) });
  const anyCase = await countByApi(page.request, and(contains('united')));
  const lowerExact = await countByApi(page.request, and(contains('united', true)));
  const upperExact = await countByApi(page.request, and(contains('United', true)));
  expect(anyCase).toBeGreaterThan(0);
  expect(lowerExact).toBe(0); // the data writes "United Kingdom"
  expect(upperExact).toBe(anyCase);

  const name = uniqueName('E2E match case');
  await page.goto('/segments/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  const rule = conditions(page).nth(0);
  await setCondition(rule, 'Country', 'contains');
  await rule.getByLabel('Country value', { exact: true }).fill('united');
  await expectLiveCount(page, anyCase);
  const matchCase = rule.getByLabel('Match case', { exact: true });
  await expect(matchCase).not.toBeChecked();
  await matchCase.check();
  await expect(matchCase).toBeChecked();
  await expectLiveCount(page, lowerExact);
  await rule.getByLabel('Country value', { exact: true }).fill('United');
  await expectLiveCount(page, upperExact);
  await expect(matchCase).toBeChecked();

  // Only comparisons of text can match case: no checkbox on "is empty" or on numbers.
  await setCondition(rule, 'Country', 'is empty');
  await expect(rule.getByLabel('Match case', { exact: true })).toHaveCount(0);
  await setCondition(rule, 'Country', 'contains');
  await rule.getByLabel('Country value', { exact: true }).fill('United');
  await expect(rule.getByLabel('Match case', { exact: true })).not.toBeChecked(); // dropped with the operator that could not carry it
  await rule.getByLabel('Match case', { exact: true }).check();

  await page.getByTestId('save-segment').click();
  await expect(page).toHaveURL(/\/segments\/\d+$/);
  await expect(page.getByTestId('member-count')).toHaveText(formatInt(upperExact));
  await expect(page.getByTestId('rules-summary')).toHaveText('Customers whose country contains "United" (matching case)');
});

test('revenue totals, "more than … ago" and anniversaries count what the parser reads', async ({ page }) => {
  await page.goto('/segments/new');
  const rule = conditions(page).nth(0);

  // Placed orders: total revenue ≥ 500 from orders ever.
  await setCondition(rule, 'Placed orders', 'total revenue');
  await rule.getByLabel('Comparison', { exact: true }).selectOption({ label: '≥' });
  await rule.getByLabel('Amount of revenue', { exact: true }).fill('500');
  await rule.getByLabel('Window in days (empty for ever)', { exact: true }).fill('');
  await expectLiveCount(page, await countByApi(page.request, and({ field: 'event:order', operator: 'revenueSum', value: { comparator: '>=', amount: 500, days: null } })));
  // … from orders with more than 5 lines: a filter switched from revenue to a property of the order events.
  await rule.getByTestId('rule-filter-add').click();
  await rule.getByLabel('Event condition 1: revenue or property', { exact: true }).selectOption('property');
  await rule.getByLabel('Event condition 1: property name', { exact: true }).fill('lines');
  await rule.getByLabel('Event condition 1: comparison', { exact: true }).selectOption({ label: '>' });
  await rule.getByLabel('Event condition 1: value', { exact: true }).fill('5');
  const where = [{ on: 'property', key: 'lines', operator: '>', value: 5 }];
  await expectLiveCount(page, await countByApi(page.request, and({ field: 'event:order', operator: 'revenueSum', value: { comparator: '>=', amount: 500, days: null, where } })));

  // Last order date more than 6 months ago, with the "ago" wording.
  await setCondition(rule, 'Last order date', 'more than … ago');
  await expect(rule.getByTestId('rule-value')).toContainText('ago');
  await rule.getByLabel('Amount of time', { exact: true }).fill('6');
  await rule.getByLabel('Unit of time', { exact: true }).selectOption('months');
  await expectLiveCount(page, await countByApi(page.request, and({ field: 'lastOrderAt', operator: 'moreThanAgo', value: { amount: 6, unit: 'months' } })));

  // Customer since: day and month within the next 30 days.
  await setCondition(rule, 'Customer since', 'day and month within the next');
  await expect(rule.getByTestId('rule-value')).toContainText('days');
  await rule.getByLabel('Number of days', { exact: true }).fill('30');
  await expectLiveCount(page, await countByApi(page.request, and({ field: 'createdAt', operator: 'anniversaryWithin', value: 30 })));
  // Out of range: the parser's message, no count.
  await rule.getByLabel('Number of days', { exact: true }).fill('400');
  await expect(page.getByTestId('live-count')).toHaveAttribute('data-state', 'invalid');
  await expect(page.getByTestId('live-count')).toContainText('between 0 (today) and 366');

  // At most 5 conditions on the events: the "+ where" button gives way to a note, and comes back.
  await setCondition(rule, 'Placed orders', 'at least');
  for (let i = 0; i < 5; i++) await rule.getByTestId('rule-filter-add').click();
  await expect(rule.getByTestId('rule-event-filter')).toHaveCount(5);
  await expect(rule.getByTestId('rule-filter-add')).toHaveCount(0);
  await expect(rule.getByTestId('rule-event-filters')).toContainText('At most 5 conditions on the orders.');
  await rule.getByLabel('Remove event condition 5', { exact: true }).click();
  await expect(rule.getByTestId('rule-event-filter')).toHaveCount(4);
  await expect(rule.getByTestId('rule-filter-add')).toBeVisible();
});

async function addCondition(page: Page) {
  const before = await conditions(page).count();
  await page.getByTestId('rule-builder').getByTestId('add-rule').click();
  await expect(conditions(page)).toHaveCount(before + 1);
}
