import { isIP } from 'node:net';
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer } from '@dreamseed/testing';
import { problemsAs, type GoDaddySchema } from './godaddy/schemas';

export const GODADDY_KEY = 'ote-key';
export const GODADDY_SECRET = 'ote-secret';
/** A legal agreement as GoDaddy's `LegalAgreement` has it. */
export interface LegalAgreement {
  agreementKey: string;
  title: string;
  url?: string;
  content: string;
}

/** The agreement GoDaddy asks every purchase here to consent to, unless a test changes `agreements`. */
export const REGISTRATION_AGREEMENT: LegalAgreement = {
  agreementKey: 'DNRA',
  title: 'Domain Name Registration Agreement',
  url: 'https://www.godaddy.com/legal/agreements/domain-name-registration-agreement',
  content: '<p>Domain Name Registration Agreement</p>',
};
export const AGREEMENT_KEY = REGISTRATION_AGREEMENT.agreementKey;

/**
 * How the next purchase goes: `ok`; `lost-once` records the registration and then answers 500, as if the answer
 * were lost on the way (the next purchase is accepted); `busy-once` answers 503 without registering (the next is
 * accepted); `down` answers 503 to every purchase and every agreements request; `refuses-contact` answers 422 with
 * GoDaddy's field errors.
 */
export type PurchaseMode = 'ok' | 'lost-once' | 'busy-once' | 'down' | 'refuses-contact';

interface Registered {
  domainId: number;
  body: Record<string, unknown>;
  createdAt: Date;
  expires: Date;
}

export interface FakeGoDaddy {
  url: string;
  server: FakeServer;
  mode: PurchaseMode;
  /** The agreements GoDaddy requires now (of every TLD): a purchase's consent must name each of them. */
  agreements: LegalAgreement[];
  /** Every purchase request that reached the fake, valid or not. */
  purchases: FakeRequest[];
  /** The domains registered to the account, by name. */
  registered: Map<string, Registered>;
  close(): Promise<void>;
}

/** GoDaddy's error body (`Error`), checked like every other answer. */
const error = (status: number, code: string, message: string, fields?: { code: string; path: string; message: string }[]): FakeResponse =>
  answer(status, 'Error', { code, message, ...(fields ? { fields } : {}) });

/** An answer the fake sends only if it fits GoDaddy's schema for it: the fake must not drift from the vendor. */
function answer(status: number, schema: GoDaddySchema | GoDaddySchema[], body: unknown): FakeResponse {
  const problems = Array.isArray(schema) ? (body as unknown[]).flatMap((item) => problemsAs(schema[0] as GoDaddySchema, item)) : problemsAs(schema, body);
  if (problems.length) throw new Error(`the fake GoDaddy's own ${String(schema)} does not fit GoDaddy's schema: ${problems.join('; ')}`);
  return { status, body };
}

/**
 * What GoDaddy's validation refuses in a consent beyond its schema: `agreedBy` is the end user's IP address, and
 * `agreedAt` a time that exists (the schema's `iso-datetime` is only its shape).
 */
function consentProblems(consent: { agreedBy: string; agreedAt: string }): { code: string; path: string; message: string }[] {
  const problems: { code: string; path: string; message: string }[] = [];
  if (isIP(consent.agreedBy) === 0) problems.push({ code: 'INVALID_IP_ADDRESS', path: 'body.consent.agreedBy', message: 'must be an IP address' });
  if (Number.isNaN(Date.parse(consent.agreedAt))) problems.push({ code: 'INVALID_DATE', path: 'body.consent.agreedAt', message: 'must be a date-time' });
  return problems;
}

/**
 * A GoDaddy Domains API (OTE) of one account, for registration tests: `sso-key` auth, bulk availability (a name
 * starting with `taken`, or one the account holds, is taken), the agreements of a TLD, the account's domains by
 * name, and purchases checked against GoDaddy's `DomainPurchase` schema, the consent's address and time, and the
 * agreements required now.
 */
export async function startFakeGoDaddy(): Promise<FakeGoDaddy> {
  const server = await startFakeServer();
  const purchases: FakeRequest[] = [];
  const registered = new Map<string, Registered>();
  let nextDomainId = 1000;
  const fake: FakeGoDaddy = { url: server.url, server, mode: 'ok', agreements: [REGISTRATION_AGREEMENT], purchases, registered, close: () => server.close() };

  const authorized = (request: FakeRequest) => request.headers.authorization === `sso-key ${GODADDY_KEY}:${GODADDY_SECRET}`;
  const unauthorized = () => error(401, 'UNABLE_TO_AUTHENTICATE', 'Unable to authenticate');
  const taken = (domain: string) => domain.startsWith('taken') || registered.has(domain);

  server.route('POST /v1/domains/available', (request) => {
    if (!authorized(request)) return unauthorized();
    const names = Array.isArray(request.body) ? (request.body as string[]) : [];
    return { body: { domains: names.map((domain) => ({ domain, available: !taken(domain), definitive: true, price: 11_990_000, currency: 'USD', period: 1 })) } };
  });

  server.route('GET /v1/domains/agreements', (request) => {
    if (!authorized(request)) return unauthorized();
    const tlds = request.query.get('tlds');
    const privacy = request.query.get('privacy');
    if (!tlds || (privacy !== 'true' && privacy !== 'false')) return error(422, 'INVALID_QUERY', '`tlds` and `privacy` are required');
    if (fake.mode === 'down') return error(503, 'SERVICE_UNAVAILABLE', 'Try again later');
    return answer(200, ['LegalAgreement'], fake.agreements);
  });

  server.route('POST /v1/domains/purchase', (request) => {
    purchases.push(request);
    if (!authorized(request)) return unauthorized();
    const problems = problemsAs('DomainPurchase', request.body);
    if (problems.length) return error(422, 'INVALID_BODY', 'Request body doesn\'t fulfill schema', problems.map((problem) => ({ code: 'INVALID', path: 'body', message: problem })));
    const body = request.body as { domain: string; period?: number; consent: { agreementKeys: string[]; agreedBy: string; agreedAt: string } };
    const consentFields = consentProblems(body.consent);
    if (consentFields.length) return error(422, 'INVALID_BODY', 'Request body doesn\'t fulfill schema', consentFields);
    if (!fake.agreements.every((agreement) => body.consent.agreementKeys.includes(agreement.agreementKey))) {
      return error(422, 'MISSING_AGREEMENTS', 'Consent lacks a required agreement');
    }
    if (fake.mode === 'down') return error(503, 'SERVICE_UNAVAILABLE', 'Try again later');
    if (fake.mode === 'busy-once') {
      fake.mode = 'ok';
      return error(503, 'SERVICE_UNAVAILABLE', 'Try again later');
    }
    if (fake.mode === 'refuses-contact') {
      return error(422, 'INVALID_BODY', 'Contact is not valid', [{ code: 'INVALID_PHONE', path: 'body.contactRegistrant.phone', message: 'not a valid phone' }]);
    }
    if (taken(body.domain)) return error(422, 'UNAVAILABLE_DOMAIN', `${body.domain} is not available`);
    const createdAt = new Date();
    const expires = new Date(createdAt);
    expires.setUTCFullYear(expires.getUTCFullYear() + (body.period ?? 1));
    const domainId = (nextDomainId += 1);
    registered.set(body.domain, { domainId, body: request.body as Record<string, unknown>, createdAt, expires });
    if (fake.mode === 'lost-once') {
      fake.mode = 'ok';
      return error(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
    return answer(200, 'DomainPurchaseResponse', { orderId: domainId * 10, itemCount: 1, total: 11_990_000 * (body.period ?? 1), currency: 'USD' });
  });

  server.route('GET /v1/domains/:domain', (request) => {
    if (!authorized(request)) return unauthorized();
    const domain = decodeURIComponent(request.params.domain ?? '');
    const found = registered.get(domain);
    if (!found) return error(404, 'NOT_FOUND', `Domain ${domain} not found`);
    const contact = found.body.contactRegistrant;
    return answer(200, 'DomainDetail', {
      domain,
      domainId: found.domainId,
      status: 'ACTIVE',
      createdAt: found.createdAt.toISOString(),
      expires: found.expires.toISOString(),
      renewDeadline: found.expires.toISOString(),
      authCode: 'fake-auth-code',
      contactRegistrant: contact,
      contactAdmin: found.body.contactAdmin ?? contact,
      contactTech: found.body.contactTech ?? contact,
      contactBilling: found.body.contactBilling ?? contact,
      expirationProtected: false,
      holdRegistrar: false,
      locked: true,
      nameServers: ['ns01.domaincontrol.com', 'ns02.domaincontrol.com'],
      privacy: false,
      renewAuto: true,
      transferProtected: false,
    });
  });

  return fake;
}
