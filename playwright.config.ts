import { defineConfig, devices } from '@playwright/test';

// End-to-end tests drive the real app (production build, embedded PGlite with the real demo data)
// in Debian's Chromium. The server gets its own data directory and port, so a running
// `npm start` is not disturbed.
const port = Number(process.env.E2E_PORT ?? 3100);
export const E2E = {
  baseURL: `http://127.0.0.1:${port}`,
  adminEmail: 'e2e-admin@tagwise.test',
  adminPassword: 'e2e-admin-password',
  cronSecret: 'e2e-cron-secret-for-tests',
};

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: E2E.baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    { name: 'chromium', use: { ...devices['Desktop Chrome'], storageState: 'e2e/.auth/admin.json' }, dependencies: ['setup'] },
  ],
  webServer: {
    command: 'rm -rf .data/e2e && node node_modules/tsx/dist/cli.mjs scripts/start.ts',
    url: `${E2E.baseURL}/api/health`,
    timeout: 15 * 60_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(port),
      PGLITE_DIR: '.data/e2e/pglite',
      ADMIN_EMAIL: E2E.adminEmail,
      ADMIN_PASSWORD: E2E.adminPassword,
      CRON_SECRET: E2E.cronSecret,
      SEGMENT_SCHEDULE: 'off',
      NEXTAUTH_URL: E2E.baseURL,
      DATABASE_URL: '',
    },
  },
});
