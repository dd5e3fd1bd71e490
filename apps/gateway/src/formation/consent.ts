import { eq } from 'drizzle-orm';
import { INTERNAL_PATHS, type DomainAgreementsResponse, type RegistrationConsent } from '@dreamseed/contracts';
import { AppError, callInternal, internalHeaders, notFound, withOwnerRole, type Founder, type InternalResponse } from '@dreamseed/platform';
import type { GatewayConfig } from '../config';
import type { GatewayDb } from '../db/client';
import { formationCases, registrationConsents, users } from '../db/schema';
import { noCase } from './moves';
import { FormationReports } from './reports';
import { consentIn, type FormationDeps } from './store';

/** How long the founder's page waits for the registrar's agreements. */
const AGREEMENTS_TIMEOUT_MS = 8000;

/** The domain statuses in which the founder may (still) agree: before the registration is asked, or after it failed. */
const AGREEABLE = new Set(['awaiting_contact', 'awaiting_consent', 'failed']);

/** The consent as the domain service's purchase takes it (INTERNAL_PATHS.gateway.registrationConsent). */
export async function registrationConsentOf(db: GatewayDb, userId: string, domain: string): Promise<RegistrationConsent> {
  return withOwnerRole(db, 'gateway', async (tx) => {
    const [founder] = await tx.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId));
    if (!founder || founder.deletedAt) throw notFound('No such founder.');
    const consent = await consentIn(tx, userId, domain);
    if (!consent) throw new AppError(404, 'no_registration_consent', 'The founder has not agreed to the registration agreements of this domain.');
    return { domain: consent.domain, agreementKeys: consent.agreementKeys, agreedBy: consent.agreedBy, agreedAt: consent.agreedAt.toISOString() };
  });
}

/** Whether two lists name the same agreement keys, in any order. */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sortedB = [...b].sort();
  return [...a].sort().every((key, i) => key === sortedB[i]);
}

/** Whether a recorded consent is to the agreements the registrar asks for now. */
const agreedTo = (consent: Awaited<ReturnType<typeof consentIn>>, current: DomainAgreementsResponse): boolean =>
  !!consent && consent.registrar === current.registrar && sameKeys(consent.agreementKeys, current.agreements.map((agreement) => agreement.key));

/**
 * The founder's agreement to the registrar's agreements for the domain their package registers. The registrar
 * (GoDaddy's purchase) records who agreed, from which address and when: the founder reads the agreements here,
 * agrees with their own request, and the registration is asked only after that (with the contact it also needs).
 */
export class RegistrationConsents {
  constructor(private readonly deps: FormationDeps & { config: Pick<GatewayConfig, 'DOMAIN_SERVICE_URL' | 'INTERNAL_API_SECRET'> }) {}

  /** The agreements for the case's domain, and when the founder agreed to them as they stand (null: not yet). */
  async agreementsFor(founder: Founder, correlationId?: string) {
    const domain = await this.agreeableDomain(founder.id);
    const current = await this.currentAgreements(domain, correlationId);
    const consent = await withOwnerRole(this.deps.db, 'gateway', (tx) => consentIn(tx, founder.id, domain));
    return { domain, registrar: current.registrar, agreements: current.agreements, agreed_at: consent && agreedTo(consent, current) ? consent.agreedAt.toISOString() : null };
  }

  /**
   * Records the founder's agreement to exactly the agreements the registrar now asks for (409 `agreements_changed`,
   * with them, when the page showed others), once: agreeing again to the same keeps the first record. Then a
   * registration that waited for it is asked.
   */
  async agree(founder: Founder, keys: readonly string[], address: string, correlationId?: string): Promise<void> {
    const { domain, status } = await this.caseDomain(founder.id);
    const given = [...new Set(keys)];
    if (!AGREEABLE.has(status)) {
      // The same agreement sent again (a double click, a retry) after it started the registration: done already.
      const last = await withOwnerRole(this.deps.db, 'gateway', (tx) => consentIn(tx, founder.id, domain));
      if (last && sameKeys(last.agreementKeys, given)) return;
      throw registrationStarted();
    }
    const current = await this.currentAgreements(domain, correlationId);
    const currentKeys = current.agreements.map((agreement) => agreement.key);
    if (!sameKeys(given, currentKeys)) {
      throw new AppError(409, 'agreements_changed', 'The registration agreements are not the ones the registrar asks for now: read them again, then agree.', {
        agreements: current.agreements,
      });
    }
    await withOwnerRole(this.deps.db, 'gateway', async (tx) => {
      // One founder's agreements are recorded one at a time: a double click records once.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, founder.id)).for('update');
      const last = await consentIn(tx, founder.id, domain);
      if (agreedTo(last, current)) return;
      await tx.insert(registrationConsents).values({ userId: founder.id, domain, registrar: current.registrar, agreementKeys: currentKeys, agreedBy: address });
    });
    await new FormationReports(this.deps).registrantMaybeReady(founder.id, correlationId);
  }

  /** The domain the founder's case registers, while agreeing still matters; else a 404 or 409 that says why. */
  private async agreeableDomain(userId: string): Promise<string> {
    const { domain, status } = await this.caseDomain(userId);
    if (!AGREEABLE.has(status)) throw registrationStarted();
    return domain;
  }

  /** The domain the founder's case registers and where it stands; a 404 or 409 when there is none. */
  private async caseDomain(userId: string): Promise<{ domain: string; status: string }> {
    const [row] = await this.deps.db
      .select({ includesDomain: formationCases.includesDomain, domain: formationCases.domain, domainStatus: formationCases.domainStatus })
      .from(formationCases)
      .where(eq(formationCases.userId, userId));
    if (!row) throw noCase();
    if (!row.includesDomain) throw new AppError(409, 'no_domain_in_package', 'Your package does not include a domain registration.');
    if (!row.domain || row.domainStatus === 'awaiting_selection') throw new AppError(409, 'no_domain_chosen', 'Choose your domain first: its registration agreements depend on it.');
    return { domain: row.domain, status: row.domainStatus ?? '' };
  }

  private async currentAgreements(domain: string, correlationId?: string): Promise<DomainAgreementsResponse> {
    const query = new URLSearchParams({ domain });
    let response: InternalResponse;
    try {
      response = await callInternal(`${this.deps.config.DOMAIN_SERVICE_URL}${INTERNAL_PATHS.domain.registrationAgreements}?${query.toString()}`, {
        headers: internalHeaders(this.deps.config.INTERNAL_API_SECRET, correlationId),
        timeoutMs: AGREEMENTS_TIMEOUT_MS,
      });
    } catch {
      throw agreementsUnavailable();
    }
    if (!response.ok) throw agreementsUnavailable();
    const answer = response.jsonIfAny<DomainAgreementsResponse>();
    if (!answer || !Array.isArray(answer.agreements) || answer.agreements.length === 0) throw agreementsUnavailable();
    return answer;
  }
}

const registrationStarted = () => new AppError(409, 'domain_registration_started', 'Your domain is already being registered, or is registered.');

const agreementsUnavailable = () =>
  new AppError(503, 'registrar_unavailable', "The registrar's agreements cannot be read right now. Try again in a minute.");
