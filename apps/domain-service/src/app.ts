import { createAppLogger, startService, type Logger } from '@dreamseed/platform';
import { domainConfigSchema, type DomainConfig } from './config';
import { domainJobHandlers } from './jobs';

export const APP_NAME = 'domain-service';

/** Starts the domain-service: its worker on the `domain` queue and its HTTP server (health, metrics, internal API). */
export function startDomainService(config: DomainConfig, logger: Logger = createAppLogger(APP_NAME, domainConfigSchema, config)) {
  return startService({
    name: APP_NAME,
    config,
    configSchema: domainConfigSchema,
    logger,
    queue: 'domain',
    handlers: () => domainJobHandlers(),
  });
}
