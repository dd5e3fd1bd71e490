import { FounderEventPublisher, createAppLogger, requireInternalToken, startService, type Logger, type ServiceParts } from '@dreamseed/platform';
import { voiceConfigSchema, type VoiceConfig } from './config';
import { createVoiceDb } from './db/client';
import { callsRouter } from './http/calls';
import { consultationRouter } from './http/consultation';
import { operatorRouter } from './http/operator';
import { vapiSyncRoute } from './http/vapi-sync';
import { voiceJobHandlers } from './jobs';

export const APP_NAME = 'voice-service';

/** Starts the voice-service: its worker on the `voice` queue and its HTTP server (health, metrics, internal API). */
export function startVoiceService(config: VoiceConfig, logger: Logger = createAppLogger(APP_NAME, voiceConfigSchema, config)) {
  return startService({
    name: APP_NAME,
    config,
    configSchema: voiceConfigSchema,
    logger,
    queue: 'voice',
    build: ({ pool, producer, redis }): ServiceParts<'voice'> => {
      const db = createVoiceDb(pool);
      const founderEvents = new FounderEventPublisher({ redis, prefix: config.QUEUE_PREFIX, logger });
      return {
        handlers: voiceJobHandlers({ db, producer, config, logger, founderEvents }),
        rawRoutes: [vapiSyncRoute(config, { db, producer, logger })],
        routes: (app) => {
          app.use('/internal', requireInternalToken(config.INTERNAL_API_SECRET), callsRouter(config, db), consultationRouter(db), operatorRouter(config, db));
        },
        schedulers: [{ id: 'purge-expired-voice-data', every: 24 * 3600 * 1000, job: 'purge-expired-voice-data', data: { v: 1 } }],
      };
    },
  });
}
