import { z } from 'zod';
import type { DomainAgreementView, RegistrantContact } from '@dreamseed/contracts';
import { withDeadline } from '@dreamseed/platform';
import { RegistrationError, requireConsentTo, type PurchaseOrder, type Registrar, type Registration } from './types';

/** GoDaddy's `Error` body (code, message, fields); only the code is kept, since a message may quote the contact. */
const errorBody = z.object({ code: z.string() });
/** GoDaddy's `LegalAgreement`s; the text itself (`content`) is not passed on: the founder reads it at `url`. */
const legalAgreements = z.array(z.object({ agreementKey: z.string().min(1), title: z.string(), url: z.string().optional() }));
const purchased = z.object({ orderId: z.number().int() });
const domainDetail = z.object({ domainId: z.number().optional(), status: z.string(), expires: z.string().optional() });

/**
 * A domain's status that means it is not (or no longer) registered to the account: a registration that failed,
 * was cancelled, or left the account. Every other status (ACTIVE, PENDING_*, AWAITING_* ...) is a domain bought.
 */
const NOT_OURS = /^(FAILED|CANCELLED|TRANSFERRED|UPDATED_OWNERSHIP|EXPIRED)/;

export interface GoDaddyRegistrarOptions {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  timeoutMs: number;
}

/** A contact as GoDaddy's `Contact` schema has it (the same person for all four roles). */
function contactOf(contact: RegistrantContact) {
  const { address } = contact;
  return {
    nameFirst: contact.nameFirst,
    nameLast: contact.nameLast,
    ...(contact.organization ? { organization: contact.organization } : {}),
    email: contact.email,
    phone: contact.phone,
    addressMailing: {
      address1: address.address1,
      ...(address.address2 ? { address2: address.address2 } : {}),
      city: address.city,
      state: address.state,
      postalCode: address.postalCode,
      country: address.country,
    },
  };
}

/**
 * GoDaddy's Domains API v1 for registrations (`sso-key` auth): the agreements a TLD requires
 * (`GET /v1/domains/agreements`), the purchase (`POST /v1/domains/purchase`) with the founder's consent to them,
 * and a domain of the account (`GET /v1/domains/{domain}`). A 429, a 5xx, a timeout or a lost connection may come
 * back later (transient); any other refusal will not (permanent), and 401/403 means the account may not register
 * at all.
 */
export class GoDaddyRegistrar implements Registrar {
  readonly name = 'godaddy';

  constructor(private readonly options: GoDaddyRegistrarOptions) {}

  async lookup(domain: string, signal: AbortSignal): Promise<Registration | null> {
    const { status, body } = await this.call('GET', `/v1/domains/${encodeURIComponent(domain)}`, undefined, signal);
    // Not the account's domain (GoDaddy answers 404 for a name it does not hold for us).
    if (status === 404) return null;
    if (status !== 200 && status !== 203) throw this.refusal(status, body);
    const detail = domainDetail.safeParse(body);
    if (!detail.success) throw new RegistrationError('registrar_malformed_answer', false);
    if (NOT_OURS.test(detail.data.status)) return null;
    const expires = detail.data.expires ? new Date(detail.data.expires) : null;
    return {
      orderId: detail.data.domainId === undefined ? null : `domain-${detail.data.domainId}`,
      expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires : null,
    };
  }

  /** The agreements the domain's TLD requires, without privacy's (the purchase does not ask for privacy). */
  async agreements(domain: string, signal: AbortSignal): Promise<DomainAgreementView[]> {
    const query = new URLSearchParams({ tlds: domain.slice(domain.lastIndexOf('.') + 1), privacy: 'false' });
    const { status, body } = await this.call('GET', `/v1/domains/agreements?${query.toString()}`, undefined, signal);
    if (status !== 200) throw this.refusal(status, body);
    const parsed = legalAgreements.safeParse(body);
    if (!parsed.success) throw new RegistrationError('registrar_malformed_answer', false);
    return parsed.data.map((agreement) => ({ key: agreement.agreementKey, title: agreement.title, url: agreement.url ?? null }));
  }

  async purchase(order: PurchaseOrder, signal: AbortSignal): Promise<Registration> {
    // GoDaddy's agreements may have changed since the founder read them: what they agreed to must cover today's.
    const required = await this.agreements(order.domain, signal);
    requireConsentTo(required.map((agreement) => agreement.key), order.consent);
    const { agreementKeys, agreedBy, agreedAt } = order.consent;
    const contact = contactOf(order.contact);
    const { status, body } = await this.call(
      'POST',
      '/v1/domains/purchase',
      {
        domain: order.domain,
        consent: { agreementKeys, agreedBy, agreedAt },
        contactRegistrant: contact,
        contactAdmin: contact,
        contactTech: contact,
        contactBilling: contact,
        period: order.years,
        // Privacy is a paid add-on with agreements of its own; auto-renewal keeps the founder's domain theirs.
        privacy: false,
        renewAuto: true,
      },
      signal,
    );
    if (status !== 200) throw this.refusal(status, body);
    const answer = purchased.safeParse(body);
    // Bought, but the answer cannot be read: transient, so that the next try finds it by looking it up.
    if (!answer.success) throw new RegistrationError('registrar_malformed_answer', false);
    // The purchase answers with the order only; the expiry comes from the domain's record, when it is there yet.
    const registered = await this.lookup(order.domain, signal).catch(() => null);
    return { orderId: String(answer.data.orderId), expiresAt: registered?.expiresAt ?? null };
  }

  private refusal(status: number, body: unknown): RegistrationError {
    if (status === 429 || status >= 500) return new RegistrationError(`registrar_status_${status}`, false);
    if (status === 401 || status === 403) return new RegistrationError('registrar_access_denied', true);
    const code = errorBody.safeParse(body).data?.code;
    return new RegistrationError(code ? `registrar_${code.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 60)}` : `registrar_status_${status}`, true);
  }

  private async call(method: 'GET' | 'POST', path: string, json: unknown, signal: AbortSignal): Promise<{ status: number; body: unknown }> {
    try {
      return await withDeadline(this.options.timeoutMs, signal, async (deadline) => {
        const response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}${path}`, {
          method,
          headers: {
            authorization: `sso-key ${this.options.apiKey}:${this.options.apiSecret}`,
            accept: 'application/json',
            ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: json === undefined ? undefined : JSON.stringify(json),
          signal: deadline,
        });
        return { status: response.status, body: (await response.json().catch(() => undefined)) as unknown };
      });
    } catch (error) {
      // Shutting down: the job is tried again later, as it was.
      if (signal.aborted) throw error;
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new RegistrationError(timedOut ? 'registrar_timeout' : 'registrar_unreachable', false);
    }
  }
}
