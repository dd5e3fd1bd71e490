import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, founderApi, newFounder, newOperator, signInInTheApp, signUpThroughTheApi, test, walkTheJourney } from './fixtures';

test.use({ viewport: { width: 1280, height: 900 } });

/** The funnel's columns, in order. */
const FUNNEL_STEPS = ['Signed up', 'Call 1', 'Call 2', 'Call 3', 'Call 4', 'Dream DNA', 'Domain chosen', 'Paid'];

interface Analyses {
  analyses: { status: string }[];
}

/** This week's row of the funnel counts at least one founder at each of `steps` (the founder tested among them). */
async function expectCountedThisWeek(page: Page, steps: string[]): Promise<void> {
  await expect(async () => {
    await page.reload();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /this week/ }) });
    const cells = row.getByRole('cell');
    await expect(cells).toHaveCount(FUNNEL_STEPS.length, { timeout: 5_000 });
    const counts = (await cells.allTextContents()).map((text) => Number(/^\s*(\d+)/.exec(text)?.[1] ?? 0));
    const counted = Object.fromEntries(steps.map((step) => [step, (counts[FUNNEL_STEPS.indexOf(step)] ?? 0) >= 1]));
    expect(counted).toEqual(Object.fromEntries(steps.map((step) => [step, true])));
  }).toPass({ timeout: 30_000 });
}

test('an operator finds a founder from the funnel, reads a transcript for a reason and re-runs the analysis', async ({ page, request, context }) => {
  test.setTimeout(150_000);
  const founder = newFounder('Hedy Founder');
  const call = founderApi(request, await signUpThroughTheApi(request, founder));
  await walkTheJourney(call);
  // The analysis of the last call may still be running: the file is looked at once it has finished.
  await expect.poll(async () => (await call<Analyses>('GET', '/v1/me/analyses')).analyses.every((run) => run.status !== 'queued' && run.status !== 'pending')).toBe(true);

  const operator = await newOperator(request);
  await signInInTheApp(page, operator);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operators' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Founder funnel' })).toBeVisible();
  await expectCountedThisWeek(page, FUNNEL_STEPS);

  const operatorPages = page.getByRole('navigation', { name: 'Operator pages' });
  await operatorPages.getByRole('link', { name: 'Founders', exact: true }).click();
  await page.getByLabel('Find a founder').fill(founder.email);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: founder.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: founder.name })).toBeVisible();

  // A transcript is read for a stated reason, and the read is recorded.
  const calls = page.getByRole('region', { name: 'Calls' });
  await calls.getByRole('button', { name: 'Read transcript of the Discovery call' }).click();
  await calls.getByLabel('Why you need to read it').fill('The founder says we misheard their business name.');
  await calls.getByRole('button', { name: 'Show the transcript' }).click();
  await expect(calls.getByText('Your read of this transcript is recorded in the audit log, with your reason.')).toBeVisible();
  expect(await calls.getByRole('list', { name: 'Transcript' }).getByRole('listitem').count()).toBeGreaterThan(1);

  // The re-run makes the next Dream DNA version (a re-run asked for always does), which the file shows by itself.
  const dreamDna = page.getByRole('region', { name: 'Dream DNA' });
  const shown = (await dreamDna.getByText(/^Current version: \d+$/).textContent()) ?? '';
  const version = Number(/(\d+)$/.exec(shown)?.[1]);
  expect(version).toBeGreaterThan(0);
  const actions = page.getByRole('region', { name: 'Actions' });
  await actions.getByRole('button', { name: 'Re-run the analysis' }).click();
  await actions.getByLabel('Why', { exact: true }).fill('The first analysis missed the problem they solve.');
  await actions.getByRole('button', { name: 'Continue' }).click();
  await actions.getByRole('button', { name: 'Confirm: re-run the analysis' }).click();
  await expect(actions.getByText(`The analysis ran again and made Dream DNA version ${version + 1}.`)).toBeVisible({ timeout: 60_000 });
  await expect(dreamDna.getByText(`Current version: ${version + 1}`, { exact: true })).toBeVisible();

  // Both are in the audit log, with their reasons.
  const audit = page.getByRole('region', { name: 'Recent audit entries' });
  await expect(audit.getByRole('row').filter({ hasText: 'Read a transcript' })).toContainText('The founder says we misheard their business name.');
  await expect(audit.getByRole('row').filter({ hasText: 'Re-ran the analysis' })).toContainText('The first analysis missed the problem they solve.');

  // The queue dashboard opens in its own tab, signed in by the cookie the page asked for.
  await operatorPages.getByRole('link', { name: 'Queues' }).click();
  const opened = context.waitForEvent('page');
  await page.getByRole('link', { name: 'Open the queue dashboard' }).click();
  const dashboard = await opened;
  await expect(dashboard).toHaveURL(/\/admin\/queues/);
  await expect(dashboard).toHaveTitle('Bull Dashboard');
});

/** Every `/admin` route the API document lists, with each method, path parameters filled in. */
async function adminRoutes(request: APIRequestContext): Promise<[string, string][]> {
  const document = (await (await request.get('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  const methods = new Set(['get', 'post', 'put', 'patch', 'delete']);
  const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'queue' ? 'analysis' : randomUUID()));
  const routes = Object.entries(document.paths)
    .filter(([path]) => path === '/admin' || path.startsWith('/admin/'))
    .flatMap(([path, operations]) => Object.keys(operations).filter((method) => methods.has(method)).map((method): [string, string] => [method.toUpperCase(), fill(path)]));
  return [...routes, ['GET', '/admin/queues']];
}

test('a founder is refused every /admin route and sees no operator pages', async ({ page, request }) => {
  const founder = newFounder('Ivy Founder');
  const token = await signUpThroughTheApi(request, founder);
  const routes = await adminRoutes(request);
  // The document lists the operator API, the queues' API and the dashboard session.
  expect(routes.length).toBeGreaterThan(15);
  const answers = await Promise.all(
    routes.map(async ([method, url]) => {
      const response = await request.fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}` },
        data: method === 'GET' || method === 'DELETE' ? undefined : { reason: 'Checking the guard.' },
      });
      return `${method} ${url}: ${response.status()}`;
    }),
  );
  expect(answers).toEqual(routes.map(([method, url]) => `${method} ${url}: 403`));

  await signInInTheApp(page, founder);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consultations' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operators' })).toHaveCount(0);
  await page.goto('/operator/founders');
  await expect(page.getByRole('heading', { level: 1, name: 'This part is for DreamSeed staff' })).toBeVisible();
});
