import { randomInt, randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect, test as base, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { exitWithin, runTs } from '@dreamseed/testing';
import { gatewayUrl, screenshotsWanted, testInfrastructure } from './config';

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
  return async function call<T>(method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown): Promise<T> {
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

type FounderCall = ReturnType<typeof founderApi>;

/**
 * Gives the founder a phone number of their own, which a domain's registrant needs: `npm start` confirms a
 * number as it is set, without the texted code.
 */
export async function confirmAPhoneNumber(request: APIRequestContext, token: string): Promise<void> {
  const phone = `+1512${randomInt(1_000_000, 9_999_999)}`;
  const response = await request.put('/auth/v1/user', { headers: { authorization: `Bearer ${token}` }, data: { phone } });
  expect(response.ok(), await response.text()).toBe(true);
}

interface DomainSearch {
  id: string;
  status: string;
  candidates?: { domain: string; available: boolean | null }[];
}

/** The four sample calls of the consultation, each waited for until the next stage is up. */
async function playTheSampleCalls(call: FounderCall): Promise<void> {
  for (const stage of [1, 2, 3, 4]) {
    await call('POST', '/v1/me/calls/sample');
    await expect.poll(async () => (await call<{ current_call_stage: number }>('GET', '/v1/me')).current_call_stage, { timeout: 30_000 }).toBe(stage + 1);
  }
}

/**
 * A free domain from a search, chosen, and a paid formation package that includes the domain (Formation
 * Standard). Answers the domain chosen.
 */
export async function payForAFormationWithADomain(call: FounderCall): Promise<string> {
  const started = await call<DomainSearch>('POST', '/v1/domains/searches', { keywords: ['bakery'] });
  let search = started;
  await expect
    .poll(async () => {
      search = await call<DomainSearch>('GET', `/v1/domains/searches/${started.id}`);
      return search.status;
    })
    .toBe('completed');
  const domain = search.candidates?.find((candidate) => candidate.available !== false)?.domain;
  if (!domain) throw new Error(`no free domain among ${JSON.stringify(search.candidates)}`);
  await call('POST', '/v1/domains/selections', { domain });
  const paid = await call<{ checkout_id: string }>('POST', '/v1/billing/checkout', { package_id: 'formation-standard' });
  await call('POST', `/v1/billing/checkout/${paid.checkout_id}/confirm`);
  await expect.poll(async () => (await call<{ payment_status: string }>('GET', '/v1/me')).payment_status).toBe('paid');
  return domain;
}

/** The founder's journey through the API: the sample calls, then a formation package with a domain. Answers the domain chosen. */
export async function walkTheJourney(call: FounderCall): Promise<string> {
  await playTheSampleCalls(call);
  return payForAFormationWithADomain(call);
}

/** The formation case the paid package opens (its job runs after the payment): its id, once it is there. */
export async function formationCaseOf(call: FounderCall): Promise<string> {
  let id = '';
  await expect
    .poll(async () => {
      id = await call<{ id: string }>('GET', '/v1/me/formation/case').then(
        (found) => found.id,
        () => '',
      );
      return id;
    })
    .not.toBe('');
  return id;
}

/**
 * An operator: an account signed up as any founder's, made an operator by `npm run operator:add` as staff make one
 * (tools/operator-add.ts, against the platform's database). The role change ends the account's sessions, so the
 * operator signs in afterwards.
 */
export async function newOperator(request: APIRequestContext): Promise<Founder> {
  const operator = newFounder('Olive Operator');
  await signUpThroughTheApi(request, operator);
  const tool = runTs('tools/operator-add.ts', { DATABASE_URL: testInfrastructure().databaseUrl, LOG_LEVEL: 'warn' }, undefined, [operator.email]);
  const code = await exitWithin(tool, 60_000);
  if (code !== 0) throw new Error(`npm run operator:add ended with ${code}:\n${tool.output()}`);
  return operator;
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
