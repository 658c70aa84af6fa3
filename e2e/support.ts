import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

/** Counts as the app shows them ("1,494"). */
export const formatInt = (n: number) => new Intl.NumberFormat('en-US').format(n);

/** A name no earlier run or other test used, so each test works on its own data. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export type Rule = { field: string; operator: string; value: unknown };
export const and = (...rules: Rule[]) => ({ combinator: 'and', rules });

/** What the live count route answers for these rules, asked with the same session as the page. */
export async function countByApi(request: APIRequestContext, rules: unknown): Promise<number> {
  const response = await request.post('/api/rules/count', { data: { rules } });
  expect(response.status(), await response.text()).toBe(200);
  const body = (await response.json()) as { count: unknown };
  expect(typeof body.count).toBe('number');
  return body.count as number;
}

/** The builder's conditions, in order (react-querybuilder marks each with data-testid="rule"). */
export const conditions = (page: Page) => page.getByTestId('rule-builder').getByTestId('rule');

/** Sets a condition's field and operator through the builder's selects (by their visible labels). */
export async function setCondition(rule: Locator, field: string, operator: string) {
  await rule.getByTestId('fields').selectOption({ label: field });
  await rule.getByTestId('operators').selectOption({ label: operator });
}

/** Sets an event condition's "N times in the last D days" boxes. */
export async function setEventWindow(rule: Locator, count: number | string, days: number | string) {
  await rule.getByLabel('How many times', { exact: true }).fill(String(count));
  await rule.getByLabel('Window in days (empty for ever)', { exact: true }).fill(String(days));
}

/** Waits until the live count shows exactly `count` matching profiles. */
export async function expectLiveCount(page: Page, count: number) {
  const live = page.getByTestId('live-count');
  await expect(live).toHaveAttribute('data-state', 'count');
  await expect(live).toHaveAttribute('data-count', String(count));
  await expect(live).toHaveText(`${formatInt(count)} matching profile${count === 1 ? '' : 's'}`);
}
