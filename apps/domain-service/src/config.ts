import { z } from 'zod';
import { DEVELOPMENT_JWT_SECRET, baseConfigSchema, refuseDevelopmentSecrets, envPort, envUrl, loadConfig, secret, type Env } from '@dreamseed/platform';

const ms = (fallback: number, max = 60_000) => z.coerce.number().int().min(50).max(max).default(fallback);
const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const domainConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8083),
  /** The gateway's token key and issuer: the founder read API checks the tokens it forwards. */
  JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET)),
  JWT_ISSUER: z.string().default('http://localhost:8080/auth/v1'),
  /**
   * Where availability comes from: `rdap` (registries' public RDAP servers, no key, no price), `godaddy`
   * (prices; falls back to RDAP when GoDaddy refuses access) or `offline` (a deterministic stand-in for machines
   * without internet; its answers are never definitive). `npm start` uses `offline` unless this is set.
   */
  DOMAIN_PROVIDER: z.enum(['rdap', 'godaddy', 'offline']).default('rdap'),
  /** IANA's RDAP bootstrap for domains, refreshed daily by the `refresh-rdap-bootstrap` job. */
  RDAP_BOOTSTRAP_URL: envUrl(['http', 'https']).default('https://data.iana.org/rdap/dns.json'),
  /** Deadline of one RDAP lookup; a registry slower than this answers "unknown". */
  RDAP_TIMEOUT_MS: ms(2500, 30_000),
  /** RDAP lookups in flight at once, per process. */
  RDAP_CONCURRENCY: count(10, 100),
  GODADDY_API_KEY: secret(z.string().min(1).optional()),
  GODADDY_API_SECRET: secret(z.string().min(1).optional()),
  /** `https://api.godaddy.com` (production) or `https://api.ote-godaddy.com` (test keys). */
  GODADDY_BASE_URL: envUrl(['http', 'https']).default('https://api.godaddy.com'),
  GODADDY_TIMEOUT_MS: ms(5000, 30_000),
  /** Names per bulk availability request (GoDaddy allows 60 requests a minute per endpoint). */
  GODADDY_BATCH_SIZE: count(50, 500),
  GODADDY_CONCURRENCY: count(2, 20),
  /** How long a checked answer is reused (Redis, and domain_availability behind it). */
  DOMAIN_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(3600),
  /** Names proposed per search. */
  DOMAIN_SEARCH_CANDIDATES: count(40, 200),
  /** The voice assistant's `check_domain` answers within this (the voice service gives up at 3 s). */
  DOMAIN_CHECK_DEADLINE_MS: ms(2500, 10_000),
}).superRefine((config, ctx) => {
  if (config.DOMAIN_PROVIDER !== 'godaddy') return;
  for (const key of ['GODADDY_API_KEY', 'GODADDY_API_SECRET'] as const) {
    if (!config[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'must be set when DOMAIN_PROVIDER is godaddy' });
  }
}).superRefine(refuseDevelopmentSecrets);

export type DomainConfig = ReturnType<typeof loadDomainConfig>;

export function loadDomainConfig(env: Env = process.env) {
  return loadConfig('domain-service', domainConfigSchema, env);
}
