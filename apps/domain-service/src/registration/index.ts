import { registrarOf, type DomainConfig } from '../config';
import { GoDaddyRegistrar } from './godaddy';
import { LocalRegistrar } from './local';
import type { Registrar } from './types';

export { DomainRegistrations } from './registrations';
export { gatewayConsents, gatewayRegistrants } from './gateway';

/** The registrar the config chooses (DOMAIN_REGISTRAR, else GoDaddy when its key is set). */
export function registrarFor(config: DomainConfig): Registrar {
  if (registrarOf(config) === 'local') return new LocalRegistrar();
  return new GoDaddyRegistrar({
    baseUrl: config.GODADDY_BASE_URL,
    apiKey: config.GODADDY_API_KEY ?? '',
    apiSecret: config.GODADDY_API_SECRET ?? '',
    timeoutMs: config.GODADDY_PURCHASE_TIMEOUT_MS,
  });
}
