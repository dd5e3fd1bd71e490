import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Browser, BrowserContextOptions, Page } from '@playwright/test';
import { gatewayUrl } from './config';
import {
  confirmAPhoneNumber,
  expect,
  founderApi,
  formationCaseOf,
  newFounder,
  newOperator,
  payForAFormationWithADomain,
  signInInTheApp,
  signUpThroughTheApi,
  test,
  walkTheJourney,
  type Founder,
} from './fixtures';
import { fillPath, PAGES, type AppData, type SignedIn } from './pages';

type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;

const WIDTHS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 375, height: 812 } },
];

/**
 * A founder who has been through the journey by the API (four sample calls, a domain, a paid formation
 * package, so a formation case waiting for their details) and has a plan's checkout left open, so that every page
 * has something to show.
 */
async function seasonedFounder(request: APIRequestContext): Promise<{ email: string; name: string; data: AppData }> {
  const founder = newFounder('Grace Founder');
  const call = founderApi(request, await signUpThroughTheApi(request, founder));
  await walkTheJourney(call);
  const open = await call<{ checkout_id: string }>('POST', '/v1/billing/checkout', { package_id: 'monthly' });
  const calls = await call<{ calls: { id: string }[] }>('GET', '/v1/me/calls');
  const me = await call<{ id: string }>('GET', '/v1/me');
  const formationCase = await formationCaseOf(call);
  return { ...founder, data: { call: calls.calls[0].id, checkout: open.checkout_id, founder: me.id, case: formationCase } };
}

/**
 * A founder whose formation case's domain waits only for their agreement to the registrar's agreements: a paid
 * package that includes the domain they chose, and a complete registrant (a first and a last name, a confirmed
 * phone number, a business address). No sample calls: the formation page does not need them.
 */
async function founderAwaitingTheDomainAgreement(request: APIRequestContext): Promise<{ founder: Founder; domain: string }> {
  const founder = newFounder('Rosa Registrant');
  const token = await signUpThroughTheApi(request, founder);
  const call = founderApi(request, token);
  const domain = await payForAFormationWithADomain(call);
  await formationCaseOf(call);
  await confirmAPhoneNumber(request, token);
  await call('PUT', '/v1/me/formation', { business_address: { line1: '100 Congress Ave', city: 'Austin', state: 'TX', postal_code: '78701', country: 'US' } });
  return { founder, domain };
}

async function signedInState(browser: Browser, founder: { email: string; name: string }): Promise<StorageState> {
  const context = await browser.newContext({ baseURL: gatewayUrl() });
  try {
    const page = await context.newPage();
    await signInInTheApp(page, founder);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

const a11y = test.extend<{ signedIn: SignedIn }, { founder: { state: StorageState; data: AppData }; operator: StorageState }>({
  signedIn: [false, { option: true }],
  founder: [
    async ({ browser, playwright }, use) => {
      const request = await playwright.request.newContext({ baseURL: gatewayUrl() });
      const founder = await seasonedFounder(request).finally(() => request.dispose());
      await use({ state: await signedInState(browser, founder), data: founder.data });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  // The operator pages look at the seasoned founder, whose file has something in every part.
  operator: [
    async ({ browser, playwright }, use) => {
      const request = await playwright.request.newContext({ baseURL: gatewayUrl() });
      const operator = await newOperator(request).finally(() => request.dispose());
      await use(await signedInState(browser, operator));
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  storageState: async ({ signedIn, founder, operator }, use) => use(signedIn === 'operator' ? operator : signedIn ? founder.state : undefined),
});

/** Axe's serious and critical findings on the page, one readable line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join('; ')})`);
}

/** What each page is checked for, reported without stopping the test: axe's serious findings, and no sideways scrolling. */
async function expectAccessible(page: Page, what: string, width: number): Promise<void> {
  expect.soft(await seriousViolations(page), what).toEqual([]);
  expect.soft(await page.evaluate(() => document.documentElement.scrollWidth), `${what}: page width`).toBeLessThanOrEqual(width);
}

/**
 * One test per kind of page and width, visiting each page in turn in one tab (the app's files load once), each
 * page a step that reports its own findings without stopping the others.
 */
for (const { name, viewport } of WIDTHS) {
  for (const signedIn of [false, true, 'operator'] as const) {
    a11y.describe(() => {
      a11y.use({ viewport, signedIn });
      const who = signedIn === 'operator' ? 'operator' : signedIn ? 'signed-in' : 'public';
      a11y(`${who} pages at ${name} width (${viewport.width} px) have no serious accessibility violations`, async ({ page, founder }) => {
        for (const appPage of PAGES.filter((p) => p.signedIn === signedIn)) {
          await a11y.step(appPage.path, async () => {
            await page.goto(signedIn ? fillPath(appPage.path, founder.data) : appPage.path);
            await expect(page.getByRole('heading', { level: 1, name: appPage.heading })).toBeVisible();
            await expect(page.getByRole('status').filter({ hasText: /^\s*Loading/ })).toHaveCount(0);
            await expectAccessible(page, appPage.path, viewport.width);
          });
        }
      });
    });
  }
}

/**
 * The formation page's domain agreement form, which the seasoned founder (whose contact is incomplete) never
 * sees: as it asks, then with the error of an agreement sent without the ticked box. One page, resized to each
 * width, so that one founder is built for both.
 */
test('the formation page’s domain agreement form, as it asks and with its error, has no serious accessibility violations at either width', async ({ page, request }) => {
  test.setTimeout(120_000);
  const { founder, domain } = await founderAwaitingTheDomainAgreement(request);
  await signInInTheApp(page, founder);
  await page.goto('/formation');
  await expect(page.getByRole('heading', { level: 1, name: 'Your formation' })).toBeVisible();
  const domainPart = page.getByRole('region', { name: 'Your domain' });
  const agree = domainPart.getByRole('button', { name: `Agree and register ${domain}` });
  await expect(agree).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^\s*Loading/ })).toHaveCount(0);
  const atEachWidth = async (state: string) => {
    for (const { name, viewport } of WIDTHS) {
      await test.step(`${state} at ${name} width`, async () => {
        await page.setViewportSize(viewport);
        await expectAccessible(page, `/formation, domain agreement ${state} at ${name} width`, viewport.width);
      });
    }
  };
  await atEachWidth('asking');

  await agree.click();
  const box = domainPart.getByRole('checkbox', { name: `I have read and agree to the registration agreement for ${domain}` });
  await expect(box).toBeFocused();
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  await expect(box).toHaveAccessibleDescription(/^Tick the box first/);
  await atEachWidth('with its error');
});
