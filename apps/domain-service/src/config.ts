import { z } from 'zod';
import { DEVELOPMENT_JWT_SECRET, baseConfigSchema, checkRedisCluster, refuseDevelopmentSecrets, envPort, envUrl, loadConfig, secret, type Env } from '@dreamseed/platform';

const ms = (fallback: number, max = 60_000) => z.coerce.number().int().min(50).max(max).default(fallback);
const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const domainConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8083).describe("The app's HTTP port."),
  JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET)).describe(
    "The gateway's JWT_SECRET: the founder API checks the tokens the gateway forwards.",
  ),
  JWT_ISSUER: z.string().default('http://localhost:8080/auth/v1').describe("The gateway's token issuer (its PUBLIC_URL + /auth/v1)."),
  DOMAIN_PROVIDER: z
    .enum(['rdap', 'godaddy', 'offline'])
    .default('rdap')
    .describe(
      "Where availability comes from: rdap (registries' public RDAP servers, no key, no prices), godaddy (prices; " +
        'RDAP when GoDaddy refuses access) or offline (a deterministic stand-in, never definitive). npm start uses ' +
        'offline unless this is set.',
    ),
  RDAP_BOOTSTRAP_URL: envUrl(['http', 'https'])
    .default('https://data.iana.org/rdap/dns.json')
    .describe("IANA's RDAP bootstrap for domains, refreshed daily by the refresh-rdap-bootstrap job (a subset ships with the code)."),
  RDAP_TIMEOUT_MS: ms(2500, 30_000).describe('Deadline of one RDAP lookup; a registry slower than this answers "unknown".'),
  RDAP_CONCURRENCY: count(10, 100).describe('RDAP lookups in flight at once, per process.'),
  GODADDY_API_KEY: secret(z.string().min(1).optional()).describe('GoDaddy API key (sso-key), required with DOMAIN_PROVIDER=godaddy.'),
  GODADDY_API_SECRET: secret(z.string().min(1).optional()).describe('GoDaddy API secret, required with DOMAIN_PROVIDER=godaddy.'),
  GODADDY_BASE_URL: envUrl(['http', 'https'])
    .default('https://api.godaddy.com')
    .describe('https://api.godaddy.com (production) or https://api.ote-godaddy.com (test keys).'),
  GODADDY_TIMEOUT_MS: ms(5000, 30_000).describe('Deadline of one GoDaddy bulk availability request.'),
  DOMAIN_REGISTRAR: z
    .enum(['godaddy', 'local'])
    .optional()
    .describe(
      "Who registers (buys) the founders' domains that their package includes: godaddy (GoDaddy's purchase API, " +
        "paid from the GoDaddy account of GODADDY_API_KEY, with the founder's consent to GoDaddy's agreements as the " +
        'gateway recorded it) or local, an offline stand-in that records a one-year registration and buys nothing. ' +
        'Unset: godaddy when GODADDY_API_KEY and GODADDY_API_SECRET are set, else local.',
    ),
  GODADDY_PURCHASE_TIMEOUT_MS: ms(30_000, 120_000).describe(
    'Deadline of one GoDaddy registration call (agreements, purchase, lookup); a purchase whose answer does not come ' +
      'in time is looked up before it is tried again.',
  ),
  GATEWAY_URL: envUrl(['http', 'https'])
    .default('http://127.0.0.1:8080')
    .describe("The gateway's internal API (the founder as their domain's registrant)."),
  GODADDY_BATCH_SIZE: count(50, 500).describe('Names per GoDaddy bulk availability request.'),
  GODADDY_CONCURRENCY: count(2, 20).describe('GoDaddy requests in flight at once, per process (GoDaddy allows 60 a minute per endpoint).'),
  DOMAIN_CACHE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(3600)
    .describe('How long a checked answer is reused (Redis, then the domain_availability table).'),
  DOMAIN_SEARCH_CANDIDATES: count(40, 200).describe('Names proposed per search.'),
  DOMAIN_CHECK_DEADLINE_MS: ms(2500, 10_000).describe(
    "The check_domain tool's answer deadline here (the voice service waits DOMAIN_CHECK_TIMEOUT_MS); unanswered names are \"unknown\".",
  ),
}).superRefine((config, ctx) => {
  if (config.DOMAIN_PROVIDER !== 'godaddy') return;
  for (const key of ['GODADDY_API_KEY', 'GODADDY_API_SECRET'] as const) {
    if (!config[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'must be set when DOMAIN_PROVIDER is godaddy' });
  }
}).superRefine((config, ctx) => {
  if (registrarOf(config) !== 'godaddy') return;
  for (const key of ['GODADDY_API_KEY', 'GODADDY_API_SECRET'] as const) {
    if (!config[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'must be set when the domain registrar is godaddy (DOMAIN_REGISTRAR, or a GoDaddy key)' });
  }
}).superRefine(refuseDevelopmentSecrets).superRefine(checkRedisCluster);

/** The registrar the config names, or the one its GoDaddy key implies. */
export function registrarOf(config: { DOMAIN_REGISTRAR?: 'godaddy' | 'local'; GODADDY_API_KEY?: string; GODADDY_API_SECRET?: string }): 'godaddy' | 'local' {
  return config.DOMAIN_REGISTRAR ?? (config.GODADDY_API_KEY && config.GODADDY_API_SECRET ? 'godaddy' : 'local');
}

export type DomainConfig = ReturnType<typeof loadDomainConfig>;

export function loadDomainConfig(env: Env = process.env) {
  return loadConfig('domain-service', domainConfigSchema, env);
}
