import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Browser, BrowserContextOptions, Page } from '@playwright/test';
import { gatewayUrl } from './config';
import { expect, founderApi, formationCaseOf, newFounder, newOperator, signInInTheApp, signUpThroughTheApi, test, walkTheJourney } from './fixtures';
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
            expect.soft(await seriousViolations(page), appPage.path).toEqual([]);
            // Nothing wider than the screen: no sideways scrolling at phone width.
            expect.soft(await page.evaluate(() => document.documentElement.scrollWidth), `${appPage.path}: page width`).toBeLessThanOrEqual(viewport.width);
          });
        }
      });
    });
  }
}
