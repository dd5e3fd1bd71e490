/**
 * What a purchase reads about the founder from the gateway's internal API: their registrant contact and their
 * consent to the registrar's agreements. The domain service holds neither and jobs carry neither (the consent
 * holds the founder's IP address): each is read when a purchase needs it and kept nowhere, not even in a log.
 */
import { z } from 'zod';
import { INTERNAL_PATHS, type RegistrantContact, type RegistrationConsent } from '@dreamseed/contracts';
import { callInternal, internalHeaders, type InternalResponse } from '@dreamseed/platform';
import type { DomainConfig } from '../config';
import { RegistrationError } from './types';

const GATEWAY_TIMEOUT_MS = 5000;

type GatewayConfig = Pick<DomainConfig, 'GATEWAY_URL' | 'INTERNAL_API_SECRET'>;

/** Reads the founder as their domain's registrant; throws `RegistrationError` when the gateway cannot give one. */
export type RegistrantSource = (userId: string, signal: AbortSignal, correlationId?: string) => Promise<RegistrantContact>;

/** Reads the founder's consent to a domain's registration agreements; throws `RegistrationError` when there is none. */
export type ConsentSource = (userId: string, domain: string, signal: AbortSignal, correlationId?: string) => Promise<RegistrationConsent>;

/** The consent as GoDaddy's purchase takes it: an IP address, and an ISO 8601 time with its offset. */
const consentAnswer = z.object({
  domain: z.string(),
  agreementKeys: z.array(z.string().min(1)),
  agreedBy: z.union([z.ipv4(), z.ipv6()]),
  agreedAt: z.iso.datetime({ offset: true }),
});

/** One read from the gateway; one that cannot reach it may succeed later (transient). */
async function askGateway(config: GatewayConfig, path: string, signal: AbortSignal, correlationId?: string): Promise<InternalResponse> {
  try {
    return await callInternal(`${config.GATEWAY_URL}${path}`, { headers: internalHeaders(config.INTERNAL_API_SECRET, correlationId), timeoutMs: GATEWAY_TIMEOUT_MS, signal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new RegistrationError('gateway_unreachable', false);
  }
}

const founderPath = (path: string, userId: string) => path.replace(':id', encodeURIComponent(userId));

/**
 * The founder's registrant contact. A founder whose details are incomplete (409) or gone (404) cannot be
 * registered until that changes: permanent.
 */
export function gatewayRegistrants(config: GatewayConfig): RegistrantSource {
  return async (userId, signal, correlationId) => {
    const response = await askGateway(config, founderPath(INTERNAL_PATHS.gateway.registrantContact, userId), signal, correlationId);
    if (response.status === 409) throw new RegistrationError('registrant_incomplete', true);
    if (response.status === 404) throw new RegistrationError('founder_not_found', true);
    if (!response.ok) throw new RegistrationError(`gateway_status_${response.status}`, false);
    return response.json<RegistrantContact>();
  };
}

/**
 * The founder's consent to the registration agreements of `domain` (ASCII, lower case), which the gateway
 * recorded when they agreed. None given (404 `no_registration_consent`), the founder gone (any other 404), or
 * an answer a registrar would refuse (another domain's consent, an agreedBy that is no IP address) will not
 * change by trying again: permanent, until the founder agrees and the registration is retried.
 */
export function gatewayConsents(config: GatewayConfig): ConsentSource {
  return async (userId, domain, signal, correlationId) => {
    const query = new URLSearchParams({ domain });
    const response = await askGateway(config, `${founderPath(INTERNAL_PATHS.gateway.registrationConsent, userId)}?${query.toString()}`, signal, correlationId);
    if (response.status === 404) {
      const code = response.jsonIfAny<{ error?: { code?: string } }>()?.error?.code;
      throw new RegistrationError(code === 'no_registration_consent' ? 'registration_consent_missing' : 'founder_not_found', true);
    }
    if (!response.ok) throw new RegistrationError(`gateway_status_${response.status}`, false);
    const consent = consentAnswer.safeParse(response.jsonIfAny());
    if (!consent.success || consent.data.domain !== domain) throw new RegistrationError('registration_consent_invalid', true);
    return consent.data;
  };
}
