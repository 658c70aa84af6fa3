import { expect, request as playwrightRequest, test } from '@playwright/test';
import { E2E } from '../playwright.config';
import { and, conditions, countByApi, expectLiveCount, formatInt, setCondition, setEventWindow, uniqueName } from './support';

// The demo is the real UCI Online Retail data: these counts are facts of that file (order counts do not
// depend on the clock, unlike "in the last N days").
const DEMO_COUNTS = { 'One-time purchasers': 1494, 'Repeat customers': 2845 };

test('the demo segments are listed with their member counts', async ({ page }) => {
  await page.goto('/segments');
  await expect(page.getByRole('heading', { name: 'Segments' })).toBeVisible();
  for (const [name, members] of Object.entries(DEMO_COUNTS)) {
    const row = page.getByTestId('segment-row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('segment-members')).toHaveText(formatInt(members));
  }
  expect(await page.getByTestId('segment-row').count()).toBeGreaterThanOrEqual(5);
});

test('build a segment in the builder, save it, run the evaluation and open a member', async ({ page }) => {
  const name = uniqueName('E2E frequent recent buyers');
  const frequent = { field: 'orderCount', operator: '>=', value: 10 };
  const recent = { field: 'event:order', operator: 'atLeast', value: { count: 1, days: 90 } };
  const frequentOnly = await countByApi(page.request, and(frequent));
  const frequentAndRecent = await countByApi(page.request, and(frequent, recent));
  // Plausible on this data: some, but fewer than the repeat customers; the second condition narrows.
  expect(frequentOnly).toBeGreaterThan(0);
  expect(frequentOnly).toBeLessThan(DEMO_COUNTS['Repeat customers']);
  expect(frequentAndRecent).toBeGreaterThan(0);
  expect(frequentAndRecent).toBeLessThanOrEqual(frequentOnly);

  await page.goto('/segments');
  await page.getByTestId('new-segment').click();
  await expect(page).toHaveURL(/\/segments\/new$/);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description', { exact: true }).fill('Ten or more orders, and one in the last 90 days.');

  // The new segment starts with one condition; turn it into "Number of orders ≥ 10".
  await expect(conditions(page)).toHaveCount(1);
  await expect(page.getByTestId('live-count')).toHaveAttribute('data-state', 'count');
  const first = conditions(page).nth(0);
  await setCondition(first, 'Number of orders', '≥');
  await first.getByLabel('Number of orders', { exact: true }).fill('10');
  await expectLiveCount(page, frequentOnly);

  // Add "Placed orders at least 1 in the last 90 days"; the count follows.
  await page.getByTestId('rule-builder').getByTestId('add-rule').click();
  await expect(conditions(page)).toHaveCount(2);
  const second = conditions(page).nth(1);
  await setCondition(second, 'Placed orders', 'at least');
  await setEventWindow(second, 1, 90);
  await expectLiveCount(page, frequentAndRecent);

  await page.getByTestId('save-segment').click();
  await expect(page).toHaveURL(/\/segments\/\d+$/);
  const segmentUrl = page.url();
  await expect(page.getByTestId('segment-title')).toHaveText(name);
  await expect(page.getByTestId('member-count')).toHaveText(formatInt(frequentAndRecent));
  await expect(page.getByTestId('rules-summary')).toContainText('10');
  await expect(page.getByTestId('member-row').first()).toBeVisible();
  const shown = await page.getByTestId('member-row').count();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThanOrEqual(frequentAndRecent);
  await expect(page.getByTestId('pager')).toContainText(`${formatInt(frequentAndRecent)} members`);

  // Run the evaluation by hand: every active segment is re-tagged; nothing changed, so the count stays.
  await page.goto('/segments');
  await page.getByTestId('run-evaluation').click();
  const result = page.getByTestId('run-result');
  await expect(result).toHaveAttribute('data-status', 'completed');
  await expect(result).toContainText(/Run #\d+: \d+ segments, \d+ entered, \d+ left/);
  const row = page.getByTestId('segment-row').filter({ has: page.getByRole('link', { name, exact: true }) });
  await expect(row.getByTestId('segment-members')).toHaveText(formatInt(frequentAndRecent));

  // A member's profile carries the segment's tag.
  await page.goto(segmentUrl);
  const member = page.getByTestId('member-row').first().getByRole('link');
  const externalId = (await member.textContent())?.trim() ?? '';
  expect(externalId).not.toBe('');
  await member.click();
  await expect(page).toHaveURL(/\/profiles\/\d+$/);
  await expect(page.getByTestId('profile-title')).toHaveText(`Customer ${externalId}`);
  await expect(page.getByTestId('profile-tag').filter({ hasText: name })).toBeVisible();
});

test('an empty rule set is refused with a clear message and not saved', async ({ page }) => {
  const name = uniqueName('E2E empty rules');
  await page.goto('/segments/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await conditions(page).nth(0).getByTestId('remove-rule').click();
  await expect(conditions(page)).toHaveCount(0);
  await expect(page.getByTestId('live-count')).toHaveText('Add a condition to see how many profiles match.');

  await page.getByTestId('save-segment').click();
  await expect(page.getByTestId('form-error')).toHaveText('The rules cannot be saved: add at least one condition.');
  await expect(page).toHaveURL(/\/segments\/new$/);
  await expectNoSegmentNamed(page, name);
});

test('a malformed value is refused with a clear message and not saved', async ({ page }) => {
  const name = uniqueName('E2E malformed window');
  await page.goto('/segments/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  const rule = conditions(page).nth(0);
  await setCondition(rule, 'Placed orders', 'at least');
  await setEventWindow(rule, 1, 0); // a window of 0 days means nothing
  const message = 'Placed orders at least: the window must be between 1 and 36600 days, or empty for "ever"';
  const live = page.getByTestId('live-count');
  await expect(live).toHaveAttribute('data-state', 'invalid');
  await expect(live).toContainText(message);

  await page.getByTestId('save-segment').click();
  await expect(page.getByTestId('form-error')).toHaveText(`The rules cannot be saved: ${message}.`);
  await expect(page).toHaveURL(/\/segments\/new$/);

  // A number field left empty is refused the same way.
  await setCondition(rule, 'Number of orders', '≥');
  await expect(live).toContainText('Number of orders ≥: needs a number');
  await page.getByTestId('save-segment').click();
  await expect(page.getByTestId('form-error')).toHaveText('The rules cannot be saved: Number of orders ≥: needs a number.');
  await expectNoSegmentNamed(page, name);
});

test('the scheduled route: 401 without the secret, a run report with it, and an idle re-run changes nothing', async ({ baseURL }) => {
  // A context without the admin's cookies: the route is for cron services, the bearer secret is the only key.
  const api = await playwrightRequest.newContext({ baseURL });
  try {
    expect((await api.get('/api/cron/segments')).status()).toBe(401);
    expect((await api.post('/api/cron/segments')).status()).toBe(401);
    expect((await api.get('/api/cron/segments', { headers: { Authorization: 'Bearer wrong-secret' } })).status()).toBe(401);

    const auth = { headers: { Authorization: `Bearer ${E2E.cronSecret}` } };
    const first = await cronRun(await api.get('/api/cron/segments', auth));
    for (const [name, members] of Object.entries(DEMO_COUNTS)) {
      expect(first.segments.find((s) => s.name === name)?.members, name).toBe(members);
    }
    const second = await cronRun(await api.post('/api/cron/segments', auth));
    expect(second.runId).toBeGreaterThan(first.runId);
    expect(second.segments.map((s) => s.id).sort()).toEqual(first.segments.map((s) => s.id).sort());
    for (const s of second.segments) {
      expect({ name: s.name, entered: s.entered, left: s.left }).toEqual({ name: s.name, entered: 0, left: 0 });
      expect(s.members).toBe(first.segments.find((f) => f.id === s.id)?.members);
    }
  } finally {
    await api.dispose();
  }
});

test('the scheduled route called twice at once does the work once', async ({ baseURL }) => {
  const api = await playwrightRequest.newContext({ baseURL });
  try {
    const auth = { headers: { Authorization: `Bearer ${E2E.cronSecret}` } };
    const responses = await Promise.all([api.get('/api/cron/segments', auth), api.post('/api/cron/segments', auth)]);
    const statuses = responses.map((r) => r.status());
    // Either the runs overlapped (one answers 409: the other run does the work) or they ran one after the other.
    expect(statuses.every((s) => s === 200 || s === 409), statuses.join()).toBe(true);
    expect(statuses).toContain(200);
    const completed = await Promise.all(responses.filter((r) => r.status() === 200).map(cronRun));
    for (const busy of responses.filter((r) => r.status() === 409)) {
      expect(((await busy.json()) as { status: string }).status).toBe('already_running');
    }
    if (completed.length === 2) {
      const later = completed.sort((a, b) => a.runId - b.runId)[1]!;
      for (const s of later.segments) expect({ name: s.name, entered: s.entered, left: s.left }).toEqual({ name: s.name, entered: 0, left: 0 });
    }
  } finally {
    await api.dispose();
  }
});

interface CronSegment {
  id: number;
  name: string;
  members: number;
  entered: number;
  left: number;
  ms: number;
}

async function cronRun(response: import('@playwright/test').APIResponse): Promise<{ runId: number; segments: CronSegment[] }> {
  expect(response.status(), await response.text()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  const body = (await response.json()) as { runId: unknown; segments: unknown };
  expect(Number.isInteger(body.runId)).toBe(true);
  expect(Array.isArray(body.segments)).toBe(true);
  const segments = body.segments as CronSegment[];
  expect(segments.length).toBeGreaterThanOrEqual(5);
  for (const s of segments) {
    for (const key of ['id', 'members', 'entered', 'left', 'ms'] as const) {
      expect(Number.isInteger(s[key]) && s[key] >= 0, `${s.name}.${key} = ${s[key]}`).toBe(true);
    }
    expect(typeof s.name).toBe('string');
  }
  return { runId: body.runId as number, segments };
}

async function expectNoSegmentNamed(page: import('@playwright/test').Page, name: string) {
  await page.goto('/segments');
  await expect(page.getByRole('heading', { name: 'Segments' })).toBeVisible();
  await expect(page.getByRole('link', { name, exact: true })).toHaveCount(0);
}
