import { createAppLogger, runMain } from '@dreamseed/platform';
import { APP_NAME, startVoiceService } from './app';
import { loadVoiceConfig, voiceConfigSchema } from './config';

const config = loadVoiceConfig();
const logger = createAppLogger(APP_NAME, voiceConfigSchema, config);
runMain({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, start: async () => [await startVoiceService(config, logger)] });
