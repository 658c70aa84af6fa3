import { expect, test as setup } from '@playwright/test';
import { E2E } from '../playwright.config';

setup('sign in as the first admin', async ({ page }) => {
  await page.goto('/segments');
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel('Email').fill(E2E.adminEmail);
  await page.getByLabel('Password').fill(E2E.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Segments' })).toBeVisible();
  await page.context().storageState({ path: 'e2e/.auth/admin.json' });
});
