import { createAppLogger, startService, type Logger } from '@dreamseed/platform';
import { analysisConfigSchema, type AnalysisConfig } from './config';
import { analysisJobHandlers } from './jobs';

export const APP_NAME = 'analysis-service';

/** Starts the analysis-service: its worker on the `analysis` queue and its HTTP server (health, metrics, internal API). */
export function startAnalysisService(config: AnalysisConfig, logger: Logger = createAppLogger(APP_NAME, analysisConfigSchema, config)) {
  return startService({
    name: APP_NAME,
    config,
    configSchema: analysisConfigSchema,
    logger,
    queue: 'analysis',
    handlers: () => analysisJobHandlers(),
  });
}
