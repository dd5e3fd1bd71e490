import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { testInfra } from '@dreamseed/testing';
import { uniquePhone } from '../__fixtures__/test-gateway';
import { readPdf } from './documents/__fixtures__/pdf-text';
import { COMPLETE_INTAKE, errorOf, REGISTRATION_AGREEMENT, startFormationWorld, type FormationWorld } from './__fixtures__/formation-world';

describe('the formation case, from a paid package to a formed company', () => {
  let world: FormationWorld;
  let redis: Redis;
  let domainQueue: Queue;

  beforeAll(async () => {
    world = await startFormationWorld();
    redis = new Redis(testInfra().redisUrl, { maxRetriesPerRequest: null });
    domainQueue = new Queue('domain', { connection: redis, prefix: world.gateway.config.QUEUE_PREFIX });
  });

  afterAll(async () => {
    await domainQueue.close();
    redis.disconnect();
    await world.stop();
  });

  const db = (text: string, values: unknown[]) => world.gateway.pool.query(text, values);
  const advance = (caseId: string, body: Record<string, unknown>) => world.asOperator('POST', `/admin/api/formation/cases/${caseId}/advance`, { reason: 'Working the case.', ...body });
  const registrationsOf = async (userId: string) =>
    (await domainQueue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'])).filter((job) => job.name === 'register-domain' && (job.data as { userId: string }).userId === userId);
  /** A registrant needs a confirmed phone number, which the profile holds once the founder confirmed it. */
  const confirmedPhone = (profileId: string) => db('update core.users set customer_phone = $2 where id = $1', [profileId, uniquePhone()]);
  const mailsTo = async (email: string) =>
    (await db(`select subject, body from auth.mail_outbox where lower(recipient) = lower($1) and kind = 'formation_update' order by created_at`, [email])).rows as { subject: string; body: string }[];

  it('opens on the paid package, waits for the intake, and walks to formed through operator moves', async () => {
    const founder = await world.newFounder();
    await confirmedPhone(founder.profileId);
    const domainEvent = { v: 1 as const, userId: founder.profileId, eventId: randomUUID(), occurredAt: new Date(Date.now() - 60_000).toISOString(), domain: 'adabakes.com' };
    await world.report('profile-domain-selected', domainEvent);
    const payment = { v: 1 as const, userId: founder.profileId, eventId: `payment-${randomUUID()}`, occurredAt: new Date().toISOString(), paymentId: randomUUID(), packageId: 'formation_premium', includesDomain: true };
    expect(await world.report('formation-package-paid', payment)).toBe('applied');
    expect(await world.report('formation-package-paid', payment)).toBe('duplicate');

    // Opened waiting for the founder: the question lists what the filing needs.
    let current = await world.caseOf(founder);
    // The domain waits too: a registrant needs the address the intake asks for, and a registrar refuses for good without it.
    expect(current).toMatchObject({ state: 'needs_founder', package_id: 'formation_premium', domain: { domain: 'adabakes.com', status: 'awaiting_contact' } });
    expect(await registrationsOf(founder.profileId)).toHaveLength(0);
    // The legal name comes from the profile's business name; the rest depends on the entity type and state.
    expect(current.todo.missing.map((item) => item.field)).toEqual(['entity_type', 'state_of_formation', 'business_address']);
    expect(current.todo.question).toContain('we still need');
    expect((await mailsTo(founder.email)).map((mail) => mail.subject)).toEqual(['DreamSeed needs something from you to file your company']);

    // An operator cannot prepare documents from an incomplete intake: the answer lists what is missing.
    const early = await world.asOperator('POST', `/admin/api/formation/cases/${current.id}/documents/prepare`, { reason: 'Trying early.' });
    expect(early.status).toBe(409);
    expect(await errorOf(early)).toMatchObject({ code: 'intake_incomplete', details: expect.arrayContaining([expect.objectContaining({ field: 'business_address' })]) });

    // The founder completes the intake: the case moves on by itself.
    const saved = await world.as(founder, 'PUT', '/v1/me/formation', COMPLETE_INTAKE);
    expect(saved.status).toBe(200);
    current = await world.caseOf(founder);
    // With the address saved, the registrar's agreements wait for the founder: a mail asks for them.
    expect(current).toMatchObject({ state: 'intake_complete', todo: { question: null, missing: [] }, domain: { domain: 'adabakes.com', status: 'awaiting_consent' } });
    expect(await registrationsOf(founder.profileId)).toHaveLength(0);
    expect((await mailsTo(founder.email)).at(-1)).toMatchObject({ subject: 'Agree to your domain registration terms', body: expect.stringContaining('adabakes.com') });
    const agreements = await world.as(founder, 'GET', '/v1/me/formation/domain/agreements');
    expect(await agreements.json()).toEqual({ domain: 'adabakes.com', registrar: 'godaddy', agreements: [REGISTRATION_AGREEMENT], agreed_at: null });
    const agreed = await world.agree(founder);
    expect(agreed.status).toBe(200);
    expect(await agreed.json()).toMatchObject({ domain: { domain: 'adabakes.com', status: 'pending' } });
    // With the founder's agreement the domain is asked for, once, however often the payment is reported.
    expect(await world.report('formation-package-paid', payment)).toBe('duplicate');
    const registrations = await registrationsOf(founder.profileId);
    expect(registrations).toHaveLength(1);
    expect(registrations[0]?.data).toMatchObject({ domain: 'adabakes.com', requestId: expect.any(String), years: 1 });

    const prepared = await world.asOperator('POST', `/admin/api/formation/cases/${current.id}/documents/prepare`, { reason: 'Intake reviewed.', expected_state: 'intake_complete' });
    expect(prepared.status).toBe(200);
    expect(await prepared.json()).toMatchObject({ action: 'prepare', status: 'done', from_state: 'intake_complete', to_state: 'documents_prepared', documents_version: 1 });
    current = await world.caseOf(founder);
    expect(current.documents.map((document) => document.kind).sort()).toEqual(['articles_of_organization', 'operating_agreement']);

    // The founder downloads the articles: a PDF naming their company and members.
    const articles = current.documents.find((document) => document.kind === 'articles_of_organization');
    const download = await world.as(founder, 'GET', `/v1/me/formation/documents/${articles?.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.pdf"$/);
    const pdf = await readPdf(new Uint8Array(await download.arrayBuffer()));
    expect(pdf.text).toContain('Ada Bakes LLC');
    expect(pdf.text).toContain('Ada Baker');

    const steps: [string, string, Record<string, unknown>][] = [
      ['documents_prepared', 'filed', { filing_number: '805123456', filed_at: '2026-12-03' }],
      ['filed', 'approved', { approved_at: '2026-12-10' }],
      ['approved', 'ein_requested', {}],
      ['ein_requested', 'ein_received', { ein: '12-3456789' }],
      ['ein_received', 'formed', {}],
    ];
    for (const [from, to, evidence] of steps) {
      const moved = await advance(current.id, { to, expected_state: from, evidence });
      expect({ to, status: moved.status }).toEqual({ to, status: 200 });
    }

    current = await world.caseOf(founder);
    expect(current).toMatchObject({ state: 'formed', filing_number: '805123456', ein: '123456789' });
    const moves = current.events.filter((event) => event.kind === 'moved' || event.kind === 'opened').map((event) => `${event.from_state ?? ''}>${event.to_state}`);
    expect(moves).toEqual([
      '>needs_founder',
      'needs_founder>intake_complete',
      'intake_complete>documents_prepared',
      'documents_prepared>filed',
      'filed>approved',
      'approved>ein_requested',
      'ein_requested>ein_received',
      'ein_received>formed',
    ]);
    expect(current.events.find((event) => event.to_state === 'filed' && event.kind === 'moved')?.evidence).toEqual({ filing_number: '805123456', filed_at: '2026-12-03T00:00:00.000Z' });
    expect(current.events.find((event) => event.to_state === 'ein_received')?.evidence).toEqual({ ein_last4: '6789' });

    // The formation data and the profile followed, in the same transactions.
    const { rows: formation } = await db('select formation_status, ein_status, filed_at, approved_at from core.business_formation_data where user_id = $1', [founder.profileId]);
    expect(formation[0]).toMatchObject({ formation_status: 'approved', ein_status: 'received', filed_at: new Date('2026-12-03T00:00:00Z'), approved_at: new Date('2026-12-10T00:00:00Z') });
    const profile = (await (await world.as(founder, 'GET', '/v1/me')).json()) as { status: string };
    expect(profile.status).toBe('formed');
    expect((await mailsTo(founder.email)).map((mail) => mail.subject)).toEqual([
      'DreamSeed needs something from you to file your company',
      'Agree to your domain registration terms',
      'Your formation documents are ready',
      'Your company is formed',
    ]);
    // The whole EIN is never in the audit log.
    const { rows: audit } = await db(`select params::text as params from core.operator_audit where target = $1`, [current.id]);
    expect(audit.map((row: { params: string }) => row.params).join()).not.toContain('123456789');

    // The registration's outcome applies once.
    const registered = { v: 1 as const, userId: founder.profileId, eventId: randomUUID(), occurredAt: new Date().toISOString(), domain: 'adabakes.com', status: 'registered' as const, expiresAt: '2027-12-07T00:00:00.000Z', orderId: 'order-1' };
    expect(await world.report('profile-domain-registered', registered)).toBe('applied');
    expect(await world.report('profile-domain-registered', registered)).toBe('duplicate');
    expect(await world.report('profile-domain-registered', { ...registered, eventId: randomUUID(), occurredAt: new Date(Date.now() - 3_600_000).toISOString(), status: 'failed', reason: 'late' })).toBe('stale');
    expect((await world.caseOf(founder)).domain).toEqual({ domain: 'adabakes.com', status: 'registered', expires_at: '2027-12-07T00:00:00.000Z', order_id: 'order-1', reason: null });
    expect(await registrationsOf(founder.profileId)).toHaveLength(1);

    // Each change reached the founder's event stream once committed.
    const events = await redis.xrange(`${world.gateway.config.QUEUE_PREFIX}:events:${founder.profileId}`, '-', '+');
    const changes = events
      .filter(([, fields]) => fields[1] === 'formation.changed')
      .map(([, fields]) => JSON.parse(fields[3] ?? '{}') as { change: string; state: string; domain_status: string | null });
    expect(changes[0]).toMatchObject({ change: 'opened', state: 'needs_founder' });
    expect(changes.filter((change) => change.change === 'moved').map((change) => change.state)).toEqual([
      'intake_complete',
      'documents_prepared',
      'filed',
      'approved',
      'ein_requested',
      'ein_received',
      'formed',
    ]);
    expect(changes.at(-1)).toMatchObject({ change: 'domain', state: 'formed', domain_status: 'registered' });
  });

  it('opens ready for documents when the intake is complete, and a later package changes the same case', async () => {
    const founder = await world.newFounder();
    await confirmedPhone(founder.profileId);
    await world.as(founder, 'PUT', '/v1/me/formation', COMPLETE_INTAKE);
    expect(await world.paid(founder, { packageId: 'formation_basic' })).toBe('applied');
    const opened = await world.caseOf(founder);
    expect(opened).toMatchObject({ state: 'intake_complete', package_id: 'formation_basic', domain: null });

    // An upgrade that adds the domain: the same case, awaiting a chosen domain, asked for once it is chosen.
    expect(await world.paid(founder, { packageId: 'formation_premium', includesDomain: true })).toBe('applied');
    const upgraded = await world.caseOf(founder);
    expect(upgraded).toMatchObject({ id: opened.id, package_id: 'formation_premium', domain: { status: 'awaiting_selection', domain: null } });
    expect((await db('select count(*)::int as n from core.formation_cases where user_id = $1', [founder.profileId])).rows[0]).toEqual({ n: 1 });
    await world.report('profile-domain-selected', { v: 1, userId: founder.profileId, eventId: randomUUID(), occurredAt: new Date().toISOString(), domain: 'adabread.com' });
    expect((await world.caseOf(founder)).domain).toMatchObject({ domain: 'adabread.com', status: 'awaiting_consent' });
    expect((await world.agree(founder)).status).toBe(200);
    expect((await world.caseOf(founder)).domain).toMatchObject({ domain: 'adabread.com', status: 'pending' });
    await world.report('profile-domain-selected', { v: 1, userId: founder.profileId, eventId: randomUUID(), occurredAt: new Date().toISOString(), domain: 'adabakery.com' });
    expect((await world.caseOf(founder)).domain).toMatchObject({ domain: 'adabread.com' });
    expect((await registrationsOf(founder.profileId)).map((job) => (job.data as { domain: string }).domain)).toEqual(['adabread.com']);
  });

  it('asks for the domain once the founder confirms a phone number, which a registrant needs, and agrees to the registrar\'s terms', async () => {
    const founder = await world.newFounder();
    await world.as(founder, 'PUT', '/v1/me/formation', COMPLETE_INTAKE);
    await world.report('profile-domain-selected', { v: 1, userId: founder.profileId, eventId: randomUUID(), occurredAt: new Date().toISOString(), domain: 'adaphones.com' });
    expect(await world.paid(founder, { packageId: 'formation_premium', includesDomain: true })).toBe('applied');
    expect((await world.caseOf(founder)).domain).toMatchObject({ domain: 'adaphones.com', status: 'awaiting_contact' });
    expect(await registrationsOf(founder.profileId)).toHaveLength(0);

    // Numbers confirm at once here (AUTH_PHONE_AUTOCONFIRM); with a texted code, POST /auth/v1/verify does the same.
    const confirmed = await world.as(founder, 'PUT', '/auth/v1/user', { phone: uniquePhone() });
    expect(confirmed.status).toBe(200);
    expect((await world.caseOf(founder)).domain).toMatchObject({ domain: 'adaphones.com', status: 'awaiting_consent' });
    expect(await registrationsOf(founder.profileId)).toHaveLength(0);
    expect((await world.agree(founder)).status).toBe(200);
    expect((await world.caseOf(founder)).domain).toMatchObject({ domain: 'adaphones.com', status: 'pending' });
    expect((await registrationsOf(founder.profileId)).map((job) => (job.data as { domain: string }).domain)).toEqual(['adaphones.com']);
  });

  it("records the founder's own agreement to the registrar's terms, once, and refuses one to other terms", async () => {
    const founder = await world.newFounder();
    await confirmedPhone(founder.profileId);
    // Before the case has a domain, there is nothing to agree to.
    expect(await errorOf(await world.as(founder, 'GET', '/v1/me/formation/domain/agreements'))).toMatchObject({ code: 'no_formation_case' });
    await world.as(founder, 'PUT', '/v1/me/formation', COMPLETE_INTAKE);
    expect(await world.paid(founder, { includesDomain: true })).toBe('applied');
    expect(await errorOf(await world.agree(founder))).toMatchObject({ code: 'no_domain_chosen' });
    await world.report('profile-domain-selected', { v: 1, userId: founder.profileId, eventId: randomUUID(), occurredAt: new Date().toISOString(), domain: 'adaterms.com' });

    // The page showed other terms than the registrar asks for now: refused, with the current ones.
    const stale = await world.agree(founder, ['DNRA_OLD']);
    expect(stale.status).toBe(409);
    expect(await errorOf(stale)).toMatchObject({ code: 'agreements_changed', details: { agreements: [REGISTRATION_AGREEMENT] } });
    expect((await world.as(founder, 'POST', '/v1/me/formation/domain/consent', { agreement_keys: [] })).status).toBe(400);

    // Agreed twice (a double click): recorded once, with the founder's address as the gateway saw it.
    expect((await Promise.all([world.agree(founder), world.agree(founder)])).map((response) => response.status)).toEqual([200, 200]);
    const { rows } = await db('select domain, registrar, agreement_keys, agreed_by from core.registration_consents where user_id = $1', [founder.profileId]);
    expect(rows).toEqual([{ domain: 'adaterms.com', registrar: 'godaddy', agreement_keys: ['DNRA'], agreed_by: founder.ip }]);
    // The registration is asked now: the same agreement again changes nothing, other terms are refused.
    expect((await world.agree(founder)).status).toBe(200);
    expect(await errorOf(await world.agree(founder, ['DNRA', 'OTHER']))).toMatchObject({ code: 'domain_registration_started' });
    expect(await errorOf(await world.as(founder, 'GET', '/v1/me/formation/domain/agreements'))).toMatchObject({ code: 'domain_registration_started' });
    expect((await registrationsOf(founder.profileId)).map((job) => (job.data as { domain: string }).domain)).toEqual(['adaterms.com']);

    // The domain service reads the consent for the purchase, with the internal token only.
    const consentUrl = `${world.gateway.url}/internal/founders/${founder.profileId}/registration-consent?domain=adaterms.com`;
    const consent = await fetch(consentUrl, { headers: { 'x-internal-token': 'internal-secret-for-tests' } });
    expect(await consent.json()).toEqual({ domain: 'adaterms.com', agreementKeys: ['DNRA'], agreedBy: founder.ip, agreedAt: expect.any(String) });
    expect((await fetch(consentUrl)).status).toBe(401);
    const other = await fetch(consentUrl.replace('adaterms.com', 'other.com'), { headers: { 'x-internal-token': 'internal-secret-for-tests' } });
    expect(other.status).toBe(404);
    expect(await errorOf(other)).toMatchObject({ code: 'no_registration_consent' });
    // The name is checked as a domain name before it reaches Postgres (which refuses a NUL in text).
    for (const bad of ['ada%00terms.com', '', 'not a domain']) {
      const refused = await fetch(consentUrl.replace('adaterms.com', bad), { headers: { 'x-internal-token': 'internal-secret-for-tests' } });
      expect(refused.status).toBe(400);
      expect(await errorOf(refused)).toMatchObject({ code: 'invalid_domain' });
    }

    // The registrar unreachable: the page says so, and nothing is recorded.
    world.owners.route('GET /internal/registration-agreements', { status: 503, body: { error: { code: 'registrar_unavailable', message: 'down' } } });
    try {
      const later = await world.newFounder();
      await confirmedPhone(later.profileId);
      await world.as(later, 'PUT', '/v1/me/formation', COMPLETE_INTAKE);
      await world.report('profile-domain-selected', { v: 1, userId: later.profileId, eventId: randomUUID(), occurredAt: new Date().toISOString(), domain: 'adalater.com' });
      await world.paid(later, { includesDomain: true });
      const down = await world.agree(later);
      expect(down.status).toBe(503);
      expect(await errorOf(down)).toMatchObject({ code: 'registrar_unavailable' });
      expect((await world.caseOf(later)).domain).toMatchObject({ status: 'awaiting_consent' });
    } finally {
      world.owners.route('GET /internal/registration-agreements', ({ query }) => ({ body: { domain: query.get('domain'), registrar: 'godaddy', agreements: [REGISTRATION_AGREEMENT] } }));
    }
  });

  it('renders a new version when the intake changes, and keeps the old one, superseded', async () => {
    const founder = await world.newFounder();
    await world.as(founder, 'PUT', '/v1/me/formation', COMPLETE_INTAKE);
    await world.paid(founder);
    const { id } = await world.caseOf(founder);
    expect((await world.asOperator('POST', `/admin/api/formation/cases/${id}/documents/prepare`, { reason: 'Ready.' })).status).toBe(200);
    // The same inputs make no new version.
    expect(await (await world.asOperator('POST', `/admin/api/formation/cases/${id}/documents/prepare`, { reason: 'Again.' })).json()).toMatchObject({ to_state: 'documents_prepared', documents_version: 1 });

    expect((await world.as(founder, 'PUT', '/v1/me/formation', { legal_name: 'Ada Bakes Texas LLC' })).status).toBe(200);
    const listed = (await (await world.as(founder, 'GET', '/v1/me/formation/documents')).json()) as { documents: { version: number; superseded_at: string | null }[] };
    expect(listed.documents.map((document) => [document.version, document.superseded_at === null])).toEqual([
      [2, true],
      [2, true],
      [1, false],
      [1, false],
    ]);
    const current = await world.caseOf(founder);
    expect(current.documents.every((document) => document.version === 2)).toBe(true);
    const bytes = await (await world.as(founder, 'GET', `/v1/me/formation/documents/${current.documents[0]?.id}`)).arrayBuffer();
    expect((await readPdf(new Uint8Array(bytes))).text).toContain('Ada Bakes Texas LLC');
  });

  it("puts a corporation's authorized shares, as the founder set them, in its articles", async () => {
    const founder = await world.newFounder();
    const corporation = {
      ...COMPLETE_INTAKE,
      legal_name: 'Ada Bakes Inc.',
      entity_type: 'corporation',
      state_of_formation: 'DE',
      business_address: { line1: '1 Rodney Sq', city: 'Wilmington', state: 'DE', postal_code: '19801', country: 'US' },
      registered_agent: { name: 'Delaware Agents Inc.', commercial: true, address: { line1: '1 Rodney Sq', city: 'Wilmington', state: 'DE', postal_code: '19801', country: 'US' } },
      members: [{ name: 'Ada Baker', role: 'director', ownership_percent: 100, address: { line1: '1 Oak St', city: 'Wilmington', state: 'DE', postal_code: '19801', country: 'US' } }],
      management_structure: 'board',
      authorized_shares: { count: 10_000_000, par_value: 0.0001 },
    };
    const saved = await world.as(founder, 'PUT', '/v1/me/formation', corporation);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ authorized_shares: { count: 10_000_000, par_value: 0.0001 } });
    await world.paid(founder);
    const { id } = await world.caseOf(founder);
    expect((await world.asOperator('POST', `/admin/api/formation/cases/${id}/documents/prepare`, { reason: 'Ready.' })).status).toBe(200);
    const articles = (await world.caseOf(founder)).documents.find((document) => document.kind === 'articles_of_incorporation');
    expect(articles).toBeDefined();
    const { text } = await readPdf(new Uint8Array(await (await world.as(founder, 'GET', `/v1/me/formation/documents/${articles?.id}`)).arrayBuffer()));
    expect(text).toContain('10,000,000');
    expect(text).toContain('$0.0001');
    expect(text).not.toContain('has not chosen the number of shares');

    // An LLC has no shares; a count that is no whole number is no count.
    for (const body of [{ entity_type: 'llc', authorized_shares: { count: 1000, par_value: null } }, { authorized_shares: { count: 10.5, par_value: null } }, { authorized_shares: { count: 1000 } }]) {
      const refused = await world.as(founder, 'PUT', '/v1/me/formation', body);
      expect(refused.status).toBe(400);
      expect(await errorOf(refused)).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: expect.stringMatching(/^authorized_shares/) })] });
    }
  });

  it('asks the founder and returns on the answer; records the state\'s rejection and prepares a refiling', async () => {
    const founder = await world.newFounder();
    await world.as(founder, 'PUT', '/v1/me/formation', COMPLETE_INTAKE);
    await world.paid(founder);
    const { id } = await world.caseOf(founder);
    await world.asOperator('POST', `/admin/api/formation/cases/${id}/documents/prepare`, { reason: 'Ready.' });
    await advance(id, { to: 'filed', expected_state: 'documents_prepared', evidence: { filing_number: 'F-1', filed_at: '2026-12-03' } });

    const asked = await world.asOperator('POST', `/admin/api/formation/cases/${id}/ask`, { question: 'Does Bo Baker sign as a member too?', reason: 'The state may ask.' });
    expect(asked.status).toBe(200);
    expect(await world.caseOf(founder)).toMatchObject({ state: 'needs_founder', todo: { question: 'Does Bo Baker sign as a member too?', missing: [] } });
    const answered = await world.as(founder, 'POST', '/v1/me/formation/case/answer', { answer: 'Yes, he does.' });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ state: 'filed', todo: { question: null } });
    expect((await world.as(founder, 'POST', '/v1/me/formation/case/answer', { answer: 'Again' })).status).toBe(409);

    const rejected = await world.asOperator('POST', `/admin/api/formation/cases/${id}/reject`, { state_reason: 'The name is not distinguishable.', reason: 'Letter from the SOS.' });
    expect(rejected.status).toBe(200);
    const after = await world.caseOf(founder);
    expect(after).toMatchObject({ state: 'rejected' });
    expect(after.events.at(-1)?.evidence).toEqual({ state_reason: 'The name is not distinguishable.' });
    const { rows } = await db('select formation_status from core.business_formation_data where user_id = $1', [founder.profileId]);
    expect(rows[0]).toEqual({ formation_status: 'rejected' });
    expect((await mailsTo(founder.email)).at(-1)?.body).toContain('The name is not distinguishable.');

    expect((await world.asOperator('POST', `/admin/api/formation/cases/${id}/documents/prepare`, { reason: 'Refiling.', expected_state: 'rejected' })).status).toBe(200);
    expect(await world.caseOf(founder)).toMatchObject({ state: 'documents_prepared', filing_number: null });
  });

  it('refuses formation details that contradict themselves, and records a failed registration', async () => {
    const founder = await world.newFounder();
    const board = await world.as(founder, 'PUT', '/v1/me/formation', { entity_type: 'llc', management_structure: 'board' });
    expect(board.status).toBe(400);
    expect(await errorOf(board)).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'management_structure' })] });
    const shares = await world.as(founder, 'PUT', '/v1/me/formation', { members: [{ name: 'A', ownership_percent: 70 }, { name: 'B', ownership_percent: 40 }] });
    expect(shares.status).toBe(400);

    await world.report('profile-domain-selected', { v: 1, userId: founder.profileId, eventId: randomUUID(), occurredAt: new Date().toISOString(), domain: 'adafails.com' });
    await world.paid(founder, { includesDomain: true });
    const failed = { v: 1 as const, userId: founder.profileId, eventId: randomUUID(), occurredAt: new Date().toISOString(), domain: 'adafails.com', status: 'failed' as const, reason: 'The domain is taken.' };
    expect(await world.report('profile-domain-registered', failed)).toBe('applied');
    expect((await world.caseOf(founder)).domain).toEqual({ domain: 'adafails.com', status: 'failed', expires_at: null, order_id: null, reason: 'The domain is taken.' });
    // A report about another domain changes nothing on the case.
    expect(await world.report('profile-domain-registered', { ...failed, eventId: randomUUID(), domain: 'other.com' })).toBe('ignored');
  });

  it("keeps no domain choice of a founder who deleted their account", async () => {
    const founder = await world.newFounder();
    expect((await world.as(founder, 'DELETE', '/v1/me')).status).toBe(204);
    await world.report('profile-domain-selected', { v: 1, userId: founder.profileId, eventId: randomUUID(), occurredAt: new Date().toISOString(), domain: 'adagone.com' });
    expect((await db('select count(*)::int as n from core.domain_choices where user_id = $1', [founder.profileId])).rows[0]).toEqual({ n: 0 });
  });

  it('shows a founder only their own case and documents', async () => {
    const [owner, other] = await Promise.all([world.newFounder(), world.newFounder()]);
    await world.as(owner, 'PUT', '/v1/me/formation', COMPLETE_INTAKE);
    await world.paid(owner);
    const { id } = await world.caseOf(owner);
    await world.asOperator('POST', `/admin/api/formation/cases/${id}/documents/prepare`, { reason: 'Ready.' });
    const [document] = (await world.caseOf(owner)).documents;

    const none = await world.as(other, 'GET', '/v1/me/formation/case');
    expect(none.status).toBe(404);
    expect((await errorOf(none)).code).toBe('no_formation_case');
    expect((await world.as(other, 'GET', `/v1/me/formation/documents/${document?.id}`)).status).toBe(404);
    expect((await world.as(other, 'GET', '/v1/me/formation/documents')).status).toBe(404);
    expect((await world.as(other, 'POST', '/v1/me/formation/case/answer', { answer: 'me?' })).status).toBe(404);
    expect((await world.as(owner, 'GET', '/v1/me/formation/documents/not-an-id')).status).toBe(404);
  });
});
