import { createAppLogger, runMain } from '@dreamseed/platform';
import { APP_NAME, startDomainService } from './app';
import { loadDomainConfig, domainConfigSchema } from './config';

const config = loadDomainConfig();
const logger = createAppLogger(APP_NAME, domainConfigSchema, config);
runMain({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, start: async () => [await startDomainService(config, logger)] });
