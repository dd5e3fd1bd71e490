import { createAppLogger, runMain } from '@dreamseed/platform';
import { APP_NAME, startGateway } from './app';
import { gatewayConfigSchema, loadGatewayConfig } from './config';

const config = loadGatewayConfig();
const logger = createAppLogger(APP_NAME, gatewayConfigSchema, config);
runMain({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, start: async () => [await startGateway(config, logger)] });
