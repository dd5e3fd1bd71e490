import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { gatewayUrl } from './config';
import { confirmAPhoneNumber, expect, founderApi, formationCaseOf, newFounder, newOperator, signInInTheApp, signUpThroughTheApi, test, walkTheJourney } from './fixtures';
import { pdfText } from './pdf';

test.use({ viewport: { width: 1280, height: 900 } });

/** A step of the founder's case, as its heading reads: "3. Filed In progress". */
const step = (page: Page, n: number, title: string) => page.getByRole('region', { name: 'Where it stands' }).getByRole('heading', { name: new RegExp(`^${n}\\. ${title}`) });

/** The founder's formation details, typed into the form as a founder would: an LLC in Texas, one member. */
async function fillTheIntake(page: Page, legalName: string, member: string): Promise<void> {
  await page.getByLabel('Legal name').fill(legalName);
  await page.getByLabel('Business type').selectOption({ label: 'LLC' });
  await page.getByLabel('State of formation').selectOption('TX');
  await page.getByLabel('How it is run').selectOption({ label: 'Run by its members' });
  const address = async (group: Locator, line1: string) => {
    await group.getByLabel('Street address').fill(line1);
    await group.getByLabel('City').fill('Austin');
    await group.getByLabel('State', { exact: true }).selectOption('TX');
    await group.getByLabel('ZIP code').fill('78701');
  };
  await address(page.getByRole('group', { name: 'Business address' }), '100 Congress Ave');
  await page.getByLabel('Agent’s name').fill(member);
  await address(page.getByRole('group', { name: 'Agent’s address' }), '200 Lavaca St');
  await page.getByRole('button', { name: 'Add a member' }).click();
  const first = page.getByRole('group', { name: 'Member 1' });
  await first.getByLabel('Name').fill(member);
  await first.getByLabel('Ownership, %').fill('100');
  await page.getByRole('button', { name: 'Save formation details' }).click();
  await expect(page.getByText('Your formation details are saved.')).toBeVisible();
}

/** One move on the case's page: the action's button, its evidence, a reason, the confirm step, and the page saying it moved. */
async function move(actions: Locator, button: string, reason: string, evidence: Record<string, string> = {}, done?: string): Promise<void> {
  await actions.getByRole('button', { name: button, exact: true }).click();
  for (const [label, value] of Object.entries(evidence)) await actions.getByLabel(label).fill(value);
  await actions.getByLabel('Why', { exact: true }).fill(reason);
  await actions.getByRole('button', { name: 'Continue' }).click();
  await actions.getByRole('button', { name: `Confirm: ${button.charAt(0).toLowerCase()}${button.slice(1)}` }).click();
  if (done) await expect(actions.getByText(done)).toBeVisible();
}

test('a paid formation goes from the founder’s intake to formed through the operators’ moves, each seen live', async ({ page, request, browser }) => {
  test.setTimeout(240_000);
  // A name of its own, so that the operator finds this case among the others; a first and a last, as a registrant needs.
  const tag = `Q${randomInt(100_000, 999_999)}`;
  const founder = newFounder(`Frida ${tag}`);
  const legalName = `Frida Bakes ${tag} LLC`;
  const token = await signUpThroughTheApi(request, founder);
  const call = founderApi(request, token);
  const domain = await walkTheJourney(call);
  await formationCaseOf(call);
  await confirmAPhoneNumber(request, token);

  // The founder's page asks for the details the filing needs, and the registration waits for an address.
  await signInInTheApp(page, founder);
  let loads = 0;
  page.on('load', () => (loads += 1));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Formation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your formation' })).toBeVisible();
  await expect(page.getByText('Live updates on')).toBeVisible();
  await expect(step(page, 1, 'Your details')).toContainText('Waiting for you');
  const todo = page.getByRole('region', { name: 'What we need from you' });
  await expect(todo.getByRole('link', { name: 'Fill it in' }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Your domain' })).toContainText(`We register ${domain} as soon as we have your contact details`);

  await fillTheIntake(page, legalName, founder.name);
  await expect(step(page, 1, 'Your details')).toContainText('Done');
  await expect(step(page, 2, 'Documents')).toContainText('In progress');

  // With the contact complete, the registration waits for the founder's agreement to the registrar's agreements
  // (the local registrar's one, its stand-in), which they read and agree to on the page.
  const domainPart = page.getByRole('region', { name: 'Your domain' });
  await expect(domainPart).toContainText(`Before we register ${domain} for you, the registrar asks you to read its registration agreements`);
  await expect(todo).toContainText('Your domain waits for you');
  await expect(todo).toContainText('Nothing else right now.');
  await expect(domainPart.getByRole('listitem')).toHaveText(['DreamSeed offline registration stand-in: no real domain is registered or bought']);
  const agree = domainPart.getByRole('button', { name: `Agree and register ${domain}` });
  await agree.click();
  await expect(domainPart.getByText('Tick the box first')).toBeVisible();
  await domainPart.getByRole('checkbox', { name: `I have read and agree to the registration agreement for ${domain}` }).check();
  await agree.click();
  await expect(domainPart.getByRole('status')).toContainText('your agreement to the registrar’s agreements is recorded');
  await expect(domainPart.getByRole('checkbox')).toHaveCount(0);
  await expect(todo).toContainText('Nothing right now.');

  // An operator looks at the queue of cases whose intake is complete, then opens this one from the founder's file
  // (the queue is oldest first: in a database that earlier runs left cases in, this one may be pages down).
  const operator = await newOperator(request);
  const staff = await browser.newContext({ baseURL: gatewayUrl(), viewport: { width: 1280, height: 900 } });
  const desk = await staff.newPage();
  await signInInTheApp(desk, operator);
  await desk.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operators' }).click();
  const operatorPages = desk.getByRole('navigation', { name: 'Operator pages' });
  await operatorPages.getByRole('link', { name: 'Formation cases' }).click();
  await expect(desk.getByRole('heading', { level: 1, name: 'Formation cases' })).toBeVisible();
  await expect(desk.getByRole('region', { name: 'Time per state' }).getByRole('rowheader', { name: 'Intake complete' })).toBeVisible();
  await desk.getByLabel('State', { exact: true }).selectOption({ label: 'Intake complete' });
  await desk.getByRole('button', { name: 'Show', exact: true }).click();
  const queued = desk.getByRole('region', { name: 'Formation cases' }).getByRole('row');
  await expect(queued.nth(1)).toContainText('Intake complete');
  await expect(queued.filter({ hasText: 'Waiting for the founder' })).toHaveCount(0);
  await operatorPages.getByRole('link', { name: 'Founders', exact: true }).click();
  await desk.getByLabel('Find a founder').fill(founder.email);
  await desk.getByRole('button', { name: 'Search' }).click();
  await desk.getByRole('link', { name: founder.name }).click();
  await desk.getByRole('region', { name: 'Formation', exact: true }).getByRole('link', { name: 'Open their formation case' }).click();
  await expect(desk.getByRole('heading', { level: 1, name: `Formation case of ${founder.name}` })).toBeVisible();
  await expect(desk.getByRole('region', { name: 'Intake' })).toContainText(legalName);
  const actions = desk.getByRole('region', { name: 'Actions' });

  await move(actions, 'Prepare the documents', 'Intake reviewed: ready to draft.', {}, 'Done: moved from intake complete to documents prepared.');
  await expect(desk.getByRole('region', { name: 'Documents, every version' })).toContainText('Articles of Organization');
  await expect(step(page, 2, 'Documents')).toContainText('Done');
  await expect(step(page, 3, 'Filed')).toContainText('In progress');
  await expect(page.getByRole('region', { name: 'Your documents' }).getByRole('button', { name: /^Download Articles of Organization/ })).toBeVisible();

  const filingNumber = `805${randomInt(100_000, 999_999)}`;
  await move(actions, 'Record the filing', 'Filed online with the Texas SOS.', { 'Filing number the state gave': filingNumber }, 'Done: moved from documents prepared to filed.');
  await expect(step(page, 3, 'Filed')).toContainText('Done');
  await expect(page.getByRole('region', { name: 'What has happened' })).toContainText(`Filed with the state, filing number ${filingNumber}`);

  await move(actions, 'Record the approval', 'The certificate of filing came back.', {}, 'Done: moved from filed to approved.');
  await expect(step(page, 4, 'Approved')).toContainText('Done');
  await move(actions, 'Record the EIN request', 'Applied online with the IRS.', {}, 'Done: moved from approved to ein requested.');
  await expect(page.getByRole('region', { name: 'What we need from you' })).toContainText('We have asked the IRS for your EIN.');
  await move(actions, 'Record the EIN', 'The CP 575 notice arrived.', { 'EIN (nine digits)': '12-3456789' }, 'Done: moved from ein requested to ein received.');
  await expect(step(page, 5, 'EIN')).toContainText('Done');
  await expect(page.getByRole('region', { name: 'What has happened' })).toContainText('Your EIN arrived (ending in 6789).');
  await move(actions, 'Mark as formed', 'Every step is done.', {}, 'Done: moved from ein received to formed.');
  await expect(actions.getByText('The business is formed: the case is closed.')).toBeVisible();

  // The founder's page, never reloaded, ends at formed.
  await expect(page.getByText('Congratulations: your business is formed.')).toBeVisible();
  await expect(step(page, 6, 'Formed')).toContainText('Done');

  // The Articles of Organization, downloaded, are a PDF that names the business.
  const downloading = page.waitForEvent('download');
  await page.getByRole('region', { name: 'Your documents' }).getByRole('button', { name: /^Download Articles of Organization/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(1000);
  expect(await pdfText(pdf)).toContain(legalName);

  // The domain the package included is registered (the local registrar under `npm start`), with the founder's agreement.
  await expect(domainPart).toContainText(`${domain} is registered to you until`);
  expect(loads).toBe(0);

  // The overview says so too.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('link', { name: 'Formed', exact: true })).toBeVisible();
  await staff.close();
});
