import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect, test as base, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { gatewayUrl, screenshotsWanted } from './config';

/** The password of every founder the tests sign up. */
export const PASSWORD = 'a long test passphrase';

export interface Founder {
  name: string;
  email: string;
}

export const newFounder = (name = 'Ada Founder'): Founder => ({ name, email: `web-e2e-${randomUUID()}@example.com` });

/** The app on that platform, as every test's `baseURL`. */
export const test = base.extend({
  // Playwright reads a fixture's dependencies from its parameter's pattern: this one has none.
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => use(gatewayUrl()),
});
export { expect };

export async function signUpInTheApp(page: Page, founder: Founder): Promise<void> {
  await page.getByLabel('Your name').fill(founder.name);
  await page.getByLabel('Email').fill(founder.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Hello, ${founder.name.split(' ')[0]}` })).toBeVisible();
}

export async function signInInTheApp(page: Page, founder: Founder): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(founder.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Hello/ })).toBeVisible();
}

/**
 * The founder API with a founder's token, for what a test prepares rather than checks (the pages it then looks
 * at): `call` fails on any answer but 2xx, with the body in the message.
 */
export function founderApi(request: APIRequestContext, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  return async function call<T>(method: 'GET' | 'POST', url: string, data?: unknown): Promise<T> {
    const response = await request.fetch(url, { method, headers, data });
    if (!response.ok()) throw new Error(`${method} ${url}: ${response.status()} ${await response.text()}`);
    return (await response.json()) as T;
  };
}

/** Signs a founder up through the auth API (sign-ups are confirmed at once under `npm start`): their token. */
export async function signUpThroughTheApi(request: APIRequestContext, founder: Founder): Promise<string> {
  const response = await request.post('/auth/v1/signup', {
    data: { email: founder.email, password: PASSWORD, data: { full_name: founder.name } },
  });
  expect(response.ok(), await response.text()).toBe(true);
  const { access_token: token } = (await response.json()) as { access_token?: string };
  if (!token) throw new Error('the sign-up gave no session: is AUTH_AUTOCONFIRM off?');
  return token;
}

const SCREENSHOTS = path.resolve(__dirname, '../../../docs/screenshots');

/**
 * The README's pictures of the app, written only when asked (`SCREENSHOTS=1`) so that test runs never rewrite
 * the committed ones. What the test's viewport shows, animations and the caret stilled, scrolled to `show`.
 */
export async function screenshot(page: Page, name: string, show?: Locator): Promise<void> {
  if (!screenshotsWanted()) return;
  await show?.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
}
