import { expect, test } from '@playwright/test';
import { uniqueName } from './support';

test('a purchase sent to the tracking API tags the customer moments after the answer: API, profile page and runs page agree', async ({ page, playwright }) => {
  // An admin makes a write key that may also read profiles.
  await page.goto('/admin/api-keys');
  await page.getByTestId('create-api-key-name').fill(uniqueName('E2E website'));
  await page.getByTestId('create-scope-audience:download').uncheck();
  await page.getByTestId('create-scope-ingest').check();
  await page.getByTestId('create-scope-api:read').check();
  await page.getByTestId('create-api-key-submit').click();
  const key = (await page.getByTestId('new-api-key').textContent())!.trim();
  await page.getByTestId('new-api-key-done').click();

  // A website's analytics library: HTTP Basic with the key, no cookies.
  const site = await playwright.request.newContext({ baseURL: new URL(page.url()).origin, storageState: { cookies: [], origins: [] } });
  const userId = `e2e-rt-${Date.now()}`;
  const basic = { Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` };
  const order = (n: number) => ({ type: 'track', userId, event: 'Order Completed', messageId: `${userId}-${n}`, properties: { orderId: `${userId}-${n}`, revenue: 25 } });
  const sent = await site.post('/api/v1/t/batch', { headers: basic, data: { batch: [{ type: 'identify', userId, traits: { firstName: 'Robin' } }, order(1), order(2)] } });
  expect(sent.status()).toBe(200);
  expect(await sent.json()).toEqual({ success: true });
  expect(sent.headers()['server-timing']).toMatch(/^read;dur=[\d.]+, wait;dur=[\d.]+, store;dur=[\d.]+$/);

  // The data is there with the answer; the tag follows (within moments: bench:ingest measures how long).
  const bearer = { Authorization: `Bearer ${key}` };
  const profile = await (await site.get(`/api/v1/profiles?externalId=${userId}`, { headers: bearer })).json();
  expect(profile.metrics).toMatchObject({ orderCount: 2, totalSpent: 50 });
  await expect
    .poll(async () => ((await (await site.get(`/api/v1/profiles?externalId=${userId}`, { headers: bearer })).json()).segments as { name: string }[]).map((s) => s.name), { timeout: 10_000 })
    .toContain('Repeat customers');

  await page.goto(`/profiles/${profile.id}`);
  await expect(page.getByTestId('profile-title')).toHaveText(`Customer ${userId}`);
  await expect(page.getByTestId('profile-tags').getByText('Repeat customers')).toBeVisible();
  await expect(page.getByText('new data (some profiles)').first()).toBeVisible(); // the history names the real-time pass

  await page.goto('/runs');
  const card = page.getByTestId('realtime-activity');
  await expect(card).toContainText(/In the last hour: [\d,]+ entered/);
  await expect(card).toContainText('Nothing is waiting.');
  await site.dispose();
});
