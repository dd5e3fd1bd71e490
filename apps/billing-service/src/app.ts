import { createAppLogger, startService, type Logger } from '@dreamseed/platform';
import { billingConfigSchema, type BillingConfig } from './config';
import { billingJobHandlers } from './jobs';

export const APP_NAME = 'billing-service';

/** Starts the billing-service: its worker on the `billing` queue and its HTTP server (health, metrics, internal API). */
export function startBillingService(config: BillingConfig, logger: Logger = createAppLogger(APP_NAME, billingConfigSchema, config)) {
  return startService({
    name: APP_NAME,
    config,
    configSchema: billingConfigSchema,
    logger,
    queue: 'billing',
    handlers: () => billingJobHandlers(),
  });
}
