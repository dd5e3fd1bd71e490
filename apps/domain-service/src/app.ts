import { createAppLogger, platformKey, requireInternalToken, startService, type Logger, type ServiceDeps, type ServiceParts } from '@dreamseed/platform';
import { RdapBootstrapStore } from './availability/bootstrap';
import { AvailabilityChecker } from './availability/checker';
import { GoDaddyProvider } from './availability/godaddy';
import { OfflineProvider } from './availability/offline';
import { RdapProvider } from './availability/rdap';
import type { AvailabilityProvider } from './availability/types';
import { domainConfigSchema, type DomainConfig } from './config';
import { createDomainDb } from './db/client';
import { registrationAgreementsRouter } from './http/agreements';
import { checkRouter } from './http/check';
import { operatorDomainsRouter } from './http/operator';
import { searchesRouter } from './http/searches';
import { domainJobHandlers } from './jobs';
import { DomainRegistrations, gatewayConsents, gatewayRegistrants, registrarFor } from './registration';

export const APP_NAME = 'domain-service';

/** The service's parts, built once from the platform's connections. */
function buildDomain(config: DomainConfig, deps: ServiceDeps<DomainConfig>): ServiceParts<'domain'> {
  const db = createDomainDb(deps.pool);
  const bootstrap = new RdapBootstrapStore(deps.redis, platformKey(config.QUEUE_PREFIX, 'domain', 'rdap-bootstrap'), deps.logger);
  const rdap = new RdapProvider(bootstrap, { timeoutMs: config.RDAP_TIMEOUT_MS, concurrency: config.RDAP_CONCURRENCY });
  let primary: AvailabilityProvider = rdap;
  let fallback: AvailabilityProvider | undefined;
  if (config.DOMAIN_PROVIDER === 'offline') primary = new OfflineProvider();
  if (config.DOMAIN_PROVIDER === 'godaddy') {
    primary = new GoDaddyProvider({
      baseUrl: config.GODADDY_BASE_URL,
      apiKey: config.GODADDY_API_KEY ?? '',
      apiSecret: config.GODADDY_API_SECRET ?? '',
      timeoutMs: config.GODADDY_TIMEOUT_MS,
      batchSize: config.GODADDY_BATCH_SIZE,
      concurrency: config.GODADDY_CONCURRENCY,
    });
    fallback = rdap;
  }
  const checker = new AvailabilityChecker({
    redis: deps.redis,
    keyPrefix: config.QUEUE_PREFIX,
    ttlSeconds: config.DOMAIN_CACHE_TTL_SECONDS,
    db,
    primary,
    fallback,
    logger: deps.logger,
    metrics: deps.metrics,
  });
  const registrar = registrarFor(config);
  // Production that registers nothing should be a choice, not an accident of a missing key.
  if (registrar.name === 'local' && config.NODE_ENV === 'production') {
    deps.logger.warn('domains included in packages are registered by the local stand-in, which buys nothing (set DOMAIN_REGISTRAR and the GoDaddy keys to buy them)');
  }
  const registrations = new DomainRegistrations({
    db,
    checker,
    registrar,
    registrants: gatewayRegistrants(config),
    consents: gatewayConsents(config),
    producer: deps.producer,
  });
  return {
    handlers: domainJobHandlers({ db, bootstrap, checker, producer: deps.producer, config, registrations }),
    routes: (app) => {
      app.use(
        '/internal',
        requireInternalToken(config.INTERNAL_API_SECRET),
        checkRouter(checker, config.DOMAIN_CHECK_DEADLINE_MS),
        searchesRouter(config, db),
        operatorDomainsRouter(config, db),
        registrationAgreementsRouter(registrar),
      );
    },
    // The offline provider needs no RDAP bootstrap file.
    schedulers:
      config.DOMAIN_PROVIDER === 'offline' ? [] : [{ id: 'refresh-rdap-bootstrap', every: 24 * 3600 * 1000, job: 'refresh-rdap-bootstrap', data: { v: 1 } }],
  };
}

/** Starts the domain-service: its worker on the `domain` queue and its HTTP server (health, metrics, internal API). */
export function startDomainService(config: DomainConfig, logger: Logger = createAppLogger(APP_NAME, domainConfigSchema, config)) {
  return startService({
    name: APP_NAME,
    config,
    configSchema: domainConfigSchema,
    logger,
    queue: 'domain',
    build: (deps) => buildDomain(config, deps),
  });
}
