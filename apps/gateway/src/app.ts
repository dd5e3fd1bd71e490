import { QUEUE_NAMES } from '@dreamseed/contracts';
import { createAppLogger, startService, type Logger } from '@dreamseed/platform';
import { gatewayConfigSchema, type GatewayConfig } from './config';
import { mountQueueDashboard } from './http/admin';
import { mountApiDocs } from './http/openapi';
import { gatewayJobHandlers } from './jobs';

export const APP_NAME = 'gateway';

/**
 * Starts the gateway: the public HTTP entry (API, docs, dashboard; auth and webhooks as their issues land) and
 * the worker that applies other owners' reports to the founder's profile.
 */
export function startGateway(config: GatewayConfig, logger: Logger = createAppLogger(APP_NAME, gatewayConfigSchema, config)) {
  return startService({
    name: APP_NAME,
    config,
    configSchema: gatewayConfigSchema,
    logger,
    queue: 'gateway',
    watchQueues: QUEUE_NAMES.filter((name) => name !== 'gateway'),
    handlers: () => gatewayJobHandlers(),
    routes: (app, { producer }) => {
      mountApiDocs(app, config.APP_VERSION, config.PUBLIC_URL);
      if (config.ADMIN_PASSWORD) {
        mountQueueDashboard(app, producer, { user: config.ADMIN_USER, password: config.ADMIN_PASSWORD });
      } else {
        logger.info('queue dashboard off: set ADMIN_PASSWORD to turn it on');
      }
    },
  });
}
