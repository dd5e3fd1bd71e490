import type { Page } from '@playwright/test';
import { expect, newFounder, screenshot, signUpInTheApp, test } from './fixtures';

const STAGES = ['Discovery', 'Positioning', 'Brand', 'Formation'];

/** A field of the current Dream DNA (the earlier versions' fields come later, folded away). */
const dnaField = (page: Page, label: string) => page.getByRole('term').filter({ hasText: label }).first().locator('xpath=following-sibling::dd[1]');

test.use({ viewport: { width: 1024, height: 768 } });

test('a founder signs up, holds the four consultations live, picks a domain and pays', async ({ page, context }) => {
  const founder = newFounder();
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await screenshot(page, 'sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await signUpInTheApp(page, founder);

  // From here on every page is reached inside the app: any reload would be a failure of the live updates.
  let loads = 0;
  page.on('load', () => (loads += 1));

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consultations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your consultations' })).toBeVisible();
  await expect(page.getByText('Live updates on')).toBeVisible();

  // The Dream DNA in a second tab, open before the first call: it fills in by itself too.
  const dna = await context.newPage();
  await dna.goto('/dream-dna');
  await expect(dna.getByText('Your Dream DNA appears after your first call is analysed.')).toBeVisible();
  await expect(dna.getByText('Live updates on')).toBeVisible();

  const stages = page.getByRole('region', { name: 'The four stages' });
  for (const [index, stage] of STAGES.entries()) {
    const heading = stages.getByRole('heading', { name: new RegExp(`^${index + 1}\\. ${stage}`) });
    await expect(heading).not.toContainText('Done');
    await page.getByRole('button', { name: 'Play a sample consultation' }).click();
    await expect(heading).toContainText('Done');
    if (index === 0) await expect(dnaField(dna, 'The problem you solve')).not.toContainText('Not known yet');
  }
  await expect(page.getByText('All four consultations are done.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Your calls so far' }).getByRole('listitem')).toHaveCount(4);
  await screenshot(page, 'consultations');
  // The third call's brand is in the second tab too, still unreloaded.
  await expect(dnaField(dna, 'Brand vibe')).not.toContainText('Not known yet');
  await screenshot(dna, 'dream-dna');
  await dna.close();

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Dream DNA' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your Dream DNA' })).toBeVisible();
  await expect(dnaField(page, 'Price level')).not.toContainText('Not known yet');

  await nav.getByRole('link', { name: 'Domain' }).click();
  await page.getByLabel('Words to try').fill('bakery');
  await page.getByRole('button', { name: 'Search' }).click();
  const choose = page.getByRole('button', { name: /^Choose / }).first();
  const domain = ((await choose.getAttribute('aria-label')) ?? '').replace(/^Choose /, '');
  await choose.click();
  await expect(page.getByRole('region', { name: 'Chosen domain' })).toContainText(`Your domain is ${domain}.`);
  await screenshot(page, 'domain');

  await nav.getByRole('link', { name: 'Payment' }).click();
  await page.getByRole('button', { name: 'Buy Formation Standard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm your payment' })).toBeVisible();
  await page.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(page.getByText('Your payment is confirmed.')).toBeVisible();
  await page.getByRole('link', { name: 'See your payments' }).click();
  const payments = page.getByRole('region', { name: 'Your payments' });
  const payment = payments.getByRole('row').filter({ hasText: 'formation-standard' });
  await expect(payment).toContainText('$199.00');
  await expect(payment).toContainText('paid');
  await screenshot(page, 'payment', payments);

  await nav.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('link', { name: 'Paid $199.00' })).toBeVisible();
  expect(loads).toBe(0);
});
