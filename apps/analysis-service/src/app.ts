import { FounderEventPublisher, PayloadSealer, createAppLogger, requireInternalToken, startService, type Logger, type ServiceParts } from '@dreamseed/platform';
import { OfflineExtractor } from './analysis/offline';
import { OpenAiProvider } from './analysis/openai';
import type { AnalysisProvider } from './analysis/provider';
import { analysisConfigSchema, type AnalysisConfig } from './config';
import { createAnalysisDb } from './db/client';
import { founderRouter } from './http/founder';
import { operatorRouter } from './http/operator';
import { analysisJobHandlers } from './jobs';
import { Analyser } from './jobs/analyse';
import { fetchConsultation } from './voice-client';

export const APP_NAME = 'analysis-service';

/** OpenAI when a key is set (or asked for), else the offline extractor. */
export function providerFor(config: AnalysisConfig): AnalysisProvider {
  const useOpenAi = config.ANALYSIS_PROVIDER === 'openai' || (config.ANALYSIS_PROVIDER === 'auto' && config.OPENAI_API_KEY);
  if (!useOpenAi || !config.OPENAI_API_KEY) return new OfflineExtractor();
  return new OpenAiProvider({
    apiKey: config.OPENAI_API_KEY,
    baseUrl: config.OPENAI_BASE_URL,
    model: config.OPENAI_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
    inputCostPerMTok: config.OPENAI_INPUT_COST_PER_MTOK,
    outputCostPerMTok: config.OPENAI_OUTPUT_COST_PER_MTOK,
  });
}

/** Starts the analysis-service: its worker on the `analysis` queue and its HTTP server (health, metrics, internal API). */
export function startAnalysisService(config: AnalysisConfig, logger: Logger = createAppLogger(APP_NAME, analysisConfigSchema, config)) {
  const provider = providerFor(config);
  logger.info({ provider: provider.name, model: provider.model }, 'analysis provider');
  return startService({
    name: APP_NAME,
    config,
    configSchema: analysisConfigSchema,
    logger,
    queue: 'analysis',
    build: ({ pool, producer, redis }): ServiceParts<'analysis'> => {
      const db = createAnalysisDb(pool);
      const analyser = new Analyser({
        db,
        producer,
        events: new FounderEventPublisher({ redis, prefix: config.QUEUE_PREFIX, logger }),
        provider,
        fetchConsultation: (userId, signal) => fetchConsultation(config, userId, signal),
        logger,
        // The provider's whole budget for one try (its own retries included), and a minute for the rest; the
        // offline extractor answers at once, so a crashed copy's run is taken over sooner.
        leaseMs: provider.name === 'offline' ? 30_000 : config.OPENAI_TIMEOUT_MS * (config.OPENAI_MAX_RETRIES + 1) + 60_000,
      });
      return {
        handlers: analysisJobHandlers({ db, producer, analyser, sealer: new PayloadSealer(config) }),
        routes: (app) => {
          app.use('/internal', requireInternalToken(config.INTERNAL_API_SECRET), founderRouter(config, db), operatorRouter(config, db));
        },
      };
    },
  });
}
