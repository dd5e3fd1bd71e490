import { createAppLogger, runMain } from '@dreamseed/platform';
import { APP_NAME, startAnalysisService } from './app';
import { loadAnalysisConfig, analysisConfigSchema } from './config';

const config = loadAnalysisConfig();
const logger = createAppLogger(APP_NAME, analysisConfigSchema, config);
runMain({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, start: async () => [await startAnalysisService(config, logger)] });
