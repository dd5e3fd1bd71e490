import { createAppLogger, runMain } from '@dreamseed/platform';
import { APP_NAME, startBillingService } from './app';
import { loadBillingConfig, billingConfigSchema } from './config';

const config = loadBillingConfig();
const logger = createAppLogger(APP_NAME, billingConfigSchema, config);
runMain({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, start: async () => [await startBillingService(config, logger)] });
