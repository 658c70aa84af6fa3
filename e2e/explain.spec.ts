import { expect, test, type Page } from '@playwright/test';

/** The id of the first member listed on a demo segment's page. */
async function firstMemberOf(page: Page, segment: string): Promise<string> {
  await page.goto('/segments');
  await page.getByRole('link', { name: segment, exact: true }).click();
  const id = await page.getByTestId('member-row').first().getByRole('link').innerText();
  expect(id.trim()).not.toBe('');
  return id.trim();
}

test('the segment page explains why a customer is or is not a member, condition by condition', async ({ page }) => {
  const oneTimer = await firstMemberOf(page, 'One-time purchasers');
  const repeat = await firstMemberOf(page, 'Repeat customers');

  // On "Repeat customers" (Number of orders ≥ 2): a member, then a one-time purchaser.
  const panel = page.getByTestId('explain-panel');
  await panel.getByTestId('explain-input').fill(repeat);
  await panel.getByTestId('explain-submit').click();
  const result = panel.getByTestId('explain-result');
  await expect(result).toContainText(`The rules match customer ${repeat}`);
  await expect(result).toContainText('It is a member.');
  await expect(result.getByTestId('explain-condition')).toHaveAttribute('data-holds', 'true');

  await panel.getByTestId('explain-input').fill(oneTimer);
  await panel.getByTestId('explain-submit').click();
  await expect(result).toContainText(`The rules do not match customer ${oneTimer}`);
  await expect(result).toContainText('It is not a member.');
  const condition = result.getByTestId('explain-condition');
  await expect(condition).toHaveAttribute('data-holds', 'false');
  await expect(condition).toContainText('whose number of orders is at least 2');
  await expect(condition).toContainText('value: 1');

  await panel.getByTestId('explain-input').fill('no-such-customer');
  await panel.getByTestId('explain-submit').click();
  await expect(panel.getByRole('alert')).toContainText('No customer with the id or email "no-such-customer"');
});

test('the builder explains its unsaved rules for a customer, and Enter there does not submit the segment', async ({ page }) => {
  const repeat = await firstMemberOf(page, 'Repeat customers');
  await page.goto('/segments/new');
  // The new segment's first condition is "Placed orders at least 1 time in the last 90 days".
  const panel = page.getByTestId('explain-panel');
  await panel.getByTestId('explain-input').fill(repeat);
  await panel.getByTestId('explain-input').press('Enter');
  await expect(panel.getByTestId('explain-result')).toContainText(`customer ${repeat}`);
  await expect(panel.getByTestId('explain-condition')).toContainText('who placed at least 1 order in the last 90 days');
  await expect(page).toHaveURL(/\/segments\/new$/);
});
