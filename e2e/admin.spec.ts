import { expect, test, type Page } from '@playwright/test';
import { E2E } from '../playwright.config';
import { and, countByApi, uniqueName } from './support';

const NOT_ALLOWED = /\/forbidden$/;

test('an admin creates a viewer, who signs in, sets a password and can read but not change anything', async ({ page, browser }) => {
  // A frozen version for the viewer to download: the admin freezes a demo audience.
  await page.goto('/audiences');
  await page.getByRole('link', { name: 'VIP thank-you', exact: true }).click();
  await expect(page).toHaveURL(/\/audiences\/\d+$/);
  const audienceUrl = new URL(page.url()).pathname;
  await page.getByTestId('freeze-button').click();
  const frozen = page.getByTestId('freeze-result');
  await expect(frozen).toHaveText(/^Version \d+ frozen with [\d,]+ rows\.$/);
  const version = Number(/Version (\d+)/.exec((await frozen.textContent()) ?? '')?.[1]);

  // What the viewer must not get, the admin has (so the checks below are not vacuous).
  await page.goto('/segments');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toBeVisible();
  await page.getByRole('link', { name: 'One-time purchasers', exact: true }).click();
  await expect(page).toHaveURL(/\/segments\/\d+$/);
  await expect(page.getByTestId('edit-segment')).toBeVisible();
  await expect(page.getByTestId('pause-segment')).toBeVisible();

  // The admin creates the viewer and reads the one-time password.
  const email = `${uniqueName('viewer').replace(' ', '-')}@tagwise.test`;
  await page.goto('/admin/users');
  await page.getByTestId('create-user-email').fill(email);
  await page.getByTestId('create-user-name').fill('E2E Viewer');
  await page.getByTestId('create-user-role').selectOption('VIEWER');
  await page.getByTestId('create-user-submit').click();
  await expect(page.getByTestId('one-time-password-email')).toHaveText(email);
  const oneTimePassword = ((await page.getByTestId('one-time-password').textContent()) ?? '').trim();
  expect(oneTimePassword.length).toBeGreaterThanOrEqual(10);
  const row = page.locator(`[data-testid="user-row"][data-user-email="${email}"]`);
  await expect(row.getByTestId('user-role-select')).toHaveValue('VIEWER');
  await expect(row.getByTestId('user-status')).toContainText('Password change pending');

  // The viewer, in a browser context of their own. An explicit empty storage state: otherwise the
  // context would start with the project's (the admin's) cookies.
  const viewerContext = await browser.newContext({ baseURL: E2E.baseURL, storageState: { cookies: [], origins: [] } });
  try {
    const viewer = await viewerContext.newPage();
    await signIn(viewer, email, oneTimePassword);
    // A one-time password must be replaced before anything else.
    await expect(viewer).toHaveURL(/\/account\?required=1$/);
    await expect(viewer.getByTestId('password-change-required')).toBeVisible();
    await viewer.goto('/segments');
    await expect(viewer).toHaveURL(/\/account\?required=1$/);

    const newPassword = `viewer-own-${Date.now()}`;
    await viewer.getByTestId('current-password').fill(oneTimePassword);
    await viewer.getByTestId('new-password').fill(newPassword);
    await viewer.getByTestId('confirm-password').fill(newPassword);
    await viewer.getByTestId('change-password-submit').click();
    await expect(viewer).toHaveURL(/\/segments$/);
    await expect(viewer.getByRole('heading', { name: 'Segments' })).toBeVisible();

    // The new password works and the one-time one does not.
    await viewer.context().clearCookies();
    await signIn(viewer, email, oneTimePassword, { fails: true });
    await signIn(viewer, email, newPassword);
    await expect(viewer).toHaveURL(/\/segments$/);
    await expect(viewer.getByTestId('current-user')).toContainText('viewer');

    // Reads everything, changes nothing: no controls to create, run, edit or pause.
    await expect(viewer.getByTestId('segment-row').first()).toBeVisible();
    await expect(viewer.getByTestId('new-segment')).toHaveCount(0);
    await expect(viewer.getByTestId('run-evaluation')).toHaveCount(0);
    await expect(viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toHaveCount(0);
    await viewer.getByRole('link', { name: 'One-time purchasers', exact: true }).click();
    await expect(viewer).toHaveURL(/\/segments\/\d+$/);
    await expect(viewer.getByTestId('member-count')).toHaveText('1,494');
    await expect(viewer.getByTestId('member-row').first()).toBeVisible();
    const segmentPath = new URL(viewer.url()).pathname;
    for (const control of ['edit-segment', 'pause-segment', 'resume-segment', 'run-evaluation']) {
      await expect(viewer.getByTestId(control), control).toHaveCount(0);
    }

    await viewer.goto(audienceUrl);
    await expect(viewer.getByTestId(`version-row-${version}`)).toBeVisible();
    await expect(viewer.getByTestId(`download-version-${version}`)).toBeVisible();
    await expect(viewer.getByTestId('freeze-button')).toHaveCount(0);
    await expect(viewer.getByTestId('edit-audience')).toHaveCount(0);
    await viewer.goto('/audiences');
    await expect(viewer.getByTestId('new-audience')).toHaveCount(0);

    // Pages that change things send the viewer to the not-allowed page.
    for (const path of ['/segments/new', `${segmentPath}/edit`, '/audiences/new', `${audienceUrl}/edit`, '/admin/users']) {
      await viewer.goto(path);
      await expect(viewer, path).toHaveURL(NOT_ALLOWED);
      await expect(viewer.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
    }

    // The server refuses too, whatever the page shows: the viewer's own session, straight at the routes.
    const api = viewerContext.request;
    expect(await countByApi(api, and({ field: 'orderCount', operator: '=', value: 1 }))).toBe(1494);
    const csv = await api.get(`/api${audienceUrl}/versions/${version}/csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')[0]).toBe('external_id,email,country,order_count,total_spent,last_order_at');
    const preview = await api.post('/api/audiences/preview', { data: { rules: and({ field: 'orderCount', operator: '>=', value: 2 }), columns: ['externalId'] } });
    expect(preview.status()).toBe(403);
    expect(((await preview.json()) as { error?: string }).error).toBeTruthy();
  } finally {
    await viewerContext.close();
  }
});

test('the last active admin cannot demote or disable themselves', async ({ page }) => {
  await page.goto('/admin/users');
  const me = page.locator(`[data-testid="user-row"][data-user-email="${E2E.adminEmail}"]`);
  await expect(me).toContainText('(you)');
  const role = me.getByTestId('user-role-select');
  await expect(role).toHaveValue('ADMIN');

  await role.selectOption('VIEWER');
  await expect(page.getByText('The last active admin cannot be demoted. Make another user an admin first.')).toBeVisible();
  await expect(role).toHaveValue('ADMIN');

  await me.getByTestId('user-disable').click();
  await expect(page.getByText('The last active admin cannot be disabled. Make another user an admin first.')).toBeVisible();

  // Nothing changed on the server: still an active admin with the users page.
  await page.reload();
  await expect(me.getByTestId('user-role-select')).toHaveValue('ADMIN');
  await expect(me.getByTestId('user-status')).toContainText('Active');
});

async function signIn(page: Page, email: string, password: string, { fails = false } = {}) {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (fails) await expect(page.getByText('Email or password is wrong, or the account is disabled.')).toBeVisible();
  else await expect(page).not.toHaveURL(/\/signin/);
}
