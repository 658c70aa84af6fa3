import { expect, test, type Page, type Request as PwRequest } from '@playwright/test';
import { E2E } from '../playwright.config';
import { conditions, setCondition, uniqueName } from './support';

/**
 * Security checks against the running app: the CSP holds on every main page without breaking it,
 * the sign-in throttle speaks, a hostile name renders as text, cross-site server-action posts are
 * refused, and hostile input to routes gets clear refusals without internals.
 */

const HOSTILE_NAME = `<img src=x onerror=alert(1)> "quoted" <script>alert(2)</script>`;
const STACK_TRACE = /\n\s+at \S+ \(|node_modules|webpack-internal|\.tsx?:\d+/;

/** Collects CSP violations (seen by the page itself) and console errors, from the next navigation on. */
async function watch(page: Page) {
  const problems: string[] = [];
  const dialogs: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return { problems, dialogs };
}

async function firstLinkHref(page: Page, path: string, pattern: RegExp): Promise<string> {
  await page.goto(path);
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const href = hrefs.find((h) => pattern.test(h));
  expect(href, `a link matching ${pattern} on ${path}`).toBeTruthy();
  return href!;
}

test('every main page works under the Content-Security-Policy: no violation, no console error', async ({ page }) => {
  const segment = await firstLinkHref(page, '/segments', /^\/segments\/\d+$/);
  const audience = await firstLinkHref(page, '/audiences', /^\/audiences\/\d+$/);
  const profile = await firstLinkHref(page, '/profiles', /^\/profiles\/\d+$/);
  const { problems } = await watch(page);
  const pages: [string, string][] = [
    ['/segments', 'Segments'],
    [segment, ''],
    ['/segments/new', 'New segment'],
    ['/audiences', 'Audiences'],
    [audience, ''],
    ['/audiences/new', 'New audience'],
    ['/profiles', 'Profiles'],
    [profile, ''],
    ['/runs', ''],
    ['/account', 'Your account'],
    ['/admin/users', 'Users'],
    ['/admin/settings', ''],
    ['/admin/audit', 'Audit log'],
  ];
  for (const [path, heading] of pages) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    const policy = response!.headers()['content-security-policy'] ?? '';
    expect(policy, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response!.headers()['x-content-type-options']).toBe('nosniff');
    expect(response!.headers()['referrer-policy']).toBe('same-origin');
    expect(response!.headers()['permissions-policy']).toContain('camera=()');
    if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    else await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
  }
  // The pages are interactive (hydrated scripts ran): the builder answers with a live count, charts draw.
  await page.goto('/segments/new');
  await expect(page.getByTestId('live-count')).toHaveAttribute('data-state', 'count');
  await page.goto(segment);
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  expect(problems).toEqual([]);
});

test('the session cookie is HttpOnly and SameSite=Lax (Secure needs https, which the test server does not use)', async ({ page }) => {
  await page.goto('/account');
  const cookies = await page.context().cookies();
  const sessionCookie = cookies.find((c) => c.name.endsWith('next-auth.session-token'));
  expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  for (const c of cookies.filter((c) => c.name.includes('next-auth'))) expect(c.httpOnly, c.name).toBe(true);
});

test('route handlers get a deny-all policy', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.headers()['content-security-policy']).toContain("default-src 'none'");
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
});

test('after 5 wrong passwords for an account, sign-in says how long to wait', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  try {
    const email = `throttle-${Date.now().toString(36)}@tagwise.test`; // no such account: the throttle does not care
    await page.goto('/signin');
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(`wrong-password-${i}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.locator('form').getByRole('alert')).toHaveText('Email or password is wrong, or the account is disabled.');
    }
    await page.getByLabel('Password').fill('wrong-password-5');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('form').getByRole('alert')).toHaveText(/^Too many attempts, try again in 1[45] minutes\.$/);
  } finally {
    await context.close();
  }
});

test('the account page lists my own sign-ins with their address and browser', async ({ page }) => {
  await page.goto('/account');
  const rows = page.getByTestId('sign-in-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThanOrEqual(10);
  await expect(rows.first()).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  await expect(rows.first()).toContainText('127.0.0.1');
  await expect(rows.first()).toContainText('Chrome');
});

/** Creates a segment through the builder with this name; returns its URL path. */
async function createSegment(page: Page, name: string): Promise<string> {
  await page.goto('/segments/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await expect(page.getByTestId('live-count')).toHaveAttribute('data-state', 'count');
  const first = conditions(page).nth(0);
  await setCondition(first, 'Number of orders', '≥');
  await first.getByLabel('Number of orders', { exact: true }).fill('50');
  await page.getByTestId('save-segment').click();
  await expect(page).toHaveURL(/\/segments\/\d+$/);
  return new URL(page.url()).pathname;
}

test('a segment named with HTML and script shows as text everywhere, and nothing runs', async ({ page }) => {
  const { dialogs, problems } = await watch(page);
  const name = `${HOSTILE_NAME} ${uniqueName('xss')}`;
  const path = await createSegment(page, name);
  await expect(page.getByTestId('segment-title')).toHaveText(name);
  expect(await page.title()).toContain(name);
  await page.goto('/segments');
  await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  await page.goto('/admin/audit?entity=segment&action=segment.create');
  await expect(page.getByTestId('audit-row').first()).toContainText('segment.create');
  await page.getByTestId('audit-row').first().locator('summary').click();
  await expect(page.getByTestId('audit-row').first().locator('pre')).toContainText('<img src=x onerror=alert(1)>');
  await page.goto(path);
  for (const selector of ['img[src="x"]', 'main script', 'img[onerror]']) expect(await page.locator(selector).count(), selector).toBe(0);
  expect(dialogs).toEqual([]);
  expect(problems).toEqual([]);
});

test('a server action posted from another site is refused and changes nothing; the same post from the app works', async ({ page }) => {
  const path = await createSegment(page, uniqueName('E2E csrf target'));
  const id = Number(path.split('/').at(-1));
  const status = async () => ((await (await page.request.get(`/api/segments/${id}`)).json()) as { status: string }).status;

  // Capture what the browser sends when pausing (the action id, the encoded arguments).
  const captured = page.waitForRequest((r: PwRequest) => r.method() === 'POST' && !!r.headers()['next-action']);
  await page.getByTestId('pause-segment').click();
  const request = await captured;
  await expect(page.getByTestId('resume-segment')).toBeVisible();
  expect(await status()).toBe('PAUSED');
  const body = request.postData() ?? '';
  expect(body).toContain('PAUSED');
  const resume = body.replace('PAUSED', 'ACTIVE');
  const headers = { 'next-action': request.headers()['next-action']!, 'content-type': request.headers()['content-type'] ?? 'text/plain;charset=UTF-8', accept: 'text/x-component' };

  for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:1']) {
    const refused = await page.request.post(path, { headers: { ...headers, origin }, data: resume });
    expect(refused.status(), origin).toBe(403);
    expect(await refused.text()).toBe('Cross-site request refused.');
  }
  const crossSite = await page.request.post(path, { headers: { ...headers, origin: E2E.baseURL, 'sec-fetch-site': 'cross-site' }, data: resume });
  expect(crossSite.status()).toBe(403);
  expect(await status()).toBe('PAUSED');

  const allowed = await page.request.post(path, { headers: { ...headers, origin: E2E.baseURL }, data: resume });
  expect(allowed.status()).toBe(200);
  expect(await status()).toBe('ACTIVE');

  // Wrong types through the same action: a validation answer, nothing changed.
  const wrong = await page.request.post(path, { headers: { ...headers, origin: E2E.baseURL }, data: JSON.stringify([{ id: '1; DROP TABLE segments', status: 'HACKED' }]) });
  expect(wrong.status()).toBe(200);
  const wrongText = await wrong.text();
  expect(wrongText).toContain('Please correct the highlighted fields.');
  expect(wrongText).not.toMatch(STACK_TRACE);
  const huge = await page.request.post(path, { headers: { ...headers, origin: E2E.baseURL }, data: JSON.stringify([{ id, status: 'PAUSED', pad: 'x'.repeat(3 * 1024 * 1024) }]) });
  expect(huge.status()).toBeGreaterThanOrEqual(400);
  expect(await huge.text()).not.toMatch(STACK_TRACE);
  expect(await status()).toBe('ACTIVE');
});

test('hostile input to route handlers: clear refusals, never a stack trace', async ({ request }) => {
  const expectRefusal = async (response: Awaited<ReturnType<typeof request.get>>, status: number, message?: RegExp) => {
    const text = await response.text();
    expect(response.status(), text.slice(0, 200)).toBe(status);
    expect(text).not.toMatch(STACK_TRACE);
    if (message) expect((JSON.parse(text) as { error: string }).error).toMatch(message);
  };
  // Oversized, not JSON, wrong types.
  await expectRefusal(await request.post('/api/rules/count', { data: JSON.stringify({ rules: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } }), 413, /too large/);
  await expectRefusal(await request.post('/api/rules/count', { data: Buffer.from('not json'), headers: { 'content-type': 'application/json' } }), 400, /must be JSON/);
  await expectRefusal(await request.post('/api/rules/count', { data: { rules: 5 } }), 422);
  await expectRefusal(await request.post('/api/rules/count', { data: { rules: { combinator: 'and', rules: [{ field: "name'; DROP TABLE profiles; --", operator: '=', value: 1 }] } } }), 422);
  await expectRefusal(await request.post('/api/audiences/preview', { data: { rules: [], columns: 'email' } }), 400, /rules and a list of columns/);
  await expectRefusal(await request.post('/api/audiences/preview', { data: JSON.stringify({ rules: {}, columns: Array(100_000).fill('email') }), headers: { 'content-type': 'application/json' } }), 413);
  // Path traversal and junk in ids and names.
  await expectRefusal(await request.get('/api/audiences/..%2F..%2Fetc%2Fpasswd/versions/1/csv'), 404);
  await expectRefusal(await request.get('/api/audiences/1/versions/..%2F..%2F.data%2Fsecrets.json/csv'), 404);
  await expectRefusal(await request.get('/api/audiences/99999999999999999999/versions/1/csv'), 404);
  await expectRefusal(await request.get('/api/fields/..%2F..%2Fetc%2Fpasswd/values'), 404);
  await expectRefusal(await request.get('/api/segments/99999999999999999999'), 404);
  await expectRefusal(await request.get('/api/segments/1e3'), 404);
  const page = await request.get('/segments/99999999999999999999');
  expect(page.status()).toBe(404);
  expect(await page.text()).not.toMatch(STACK_TRACE);
  // The cron route without the secret, with a wrong one: 401, nothing said about why beyond that.
  await expectRefusal(await request.post('/api/cron/segments', { headers: { authorization: 'Bearer ../../etc/passwd' } }), 401);
});
