import { INTERNAL_PATHS, type RegistrantContact } from '@dreamseed/contracts';
import { callInternal, internalHeaders } from '@dreamseed/platform';
import type { DomainConfig } from '../config';
import { RegistrationError } from './types';

const REGISTRANT_TIMEOUT_MS = 5000;

/** Reads the founder as their domain's registrant; throws `RegistrationError` when the gateway cannot give one. */
export type RegistrantSource = (userId: string, signal: AbortSignal, correlationId?: string) => Promise<RegistrantContact>;

/**
 * The founder's registrant contact from the gateway's internal API: the domain service holds no contact details,
 * and jobs carry none, so it is read when a purchase needs it and kept nowhere. A founder whose details are
 * incomplete (409) or gone (404) cannot be registered until that changes: permanent.
 */
export function gatewayRegistrants(config: Pick<DomainConfig, 'GATEWAY_URL' | 'INTERNAL_API_SECRET'>): RegistrantSource {
  return async (userId, signal, correlationId) => {
    const url = `${config.GATEWAY_URL}${INTERNAL_PATHS.gateway.registrantContact.replace(':id', encodeURIComponent(userId))}`;
    let response: Awaited<ReturnType<typeof callInternal>>;
    try {
      response = await callInternal(url, { headers: internalHeaders(config.INTERNAL_API_SECRET, correlationId), timeoutMs: REGISTRANT_TIMEOUT_MS, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new RegistrationError('gateway_unreachable', false);
    }
    if (response.status === 409) throw new RegistrationError('registrant_incomplete', true);
    if (response.status === 404) throw new RegistrationError('founder_not_found', true);
    if (!response.ok) throw new RegistrationError(`gateway_status_${response.status}`, false);
    return response.json<RegistrantContact>();
  };
}
