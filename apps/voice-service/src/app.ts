import { createAppLogger, requireInternalToken, SCHEDULED_JOB_OPTIONS, startService, type Logger, type ServiceDeps } from '@dreamseed/platform';
import { voiceConfigSchema, type VoiceConfig } from './config';
import { createVoiceDb, type VoiceDb } from './db/client';
import { callsRouter } from './http/calls';
import { consultationRouter } from './http/consultation';
import { vapiSyncRoute } from './http/vapi-sync';
import { voiceJobHandlers } from './jobs';

export const APP_NAME = 'voice-service';

/** Starts the voice-service: its worker on the `voice` queue and its HTTP server (health, metrics, internal API). */
export function startVoiceService(config: VoiceConfig, logger: Logger = createAppLogger(APP_NAME, voiceConfigSchema, config)) {
  let db: VoiceDb | undefined;
  const dbOf = (deps: ServiceDeps<VoiceConfig>) => (db ??= createVoiceDb(deps.pool));
  return startService({
    name: APP_NAME,
    config,
    configSchema: voiceConfigSchema,
    logger,
    queue: 'voice',
    handlers: (deps) => voiceJobHandlers({ db: dbOf(deps), producer: deps.producer, config, logger: deps.logger }),
    onReady: async ({ producer }) => {
      // One schedule for the whole platform however many replicas run: BullMQ keys it by id.
      await producer
        .queue('voice')
        .upsertJobScheduler(
          'purge-expired-voice-data',
          { every: 24 * 3600 * 1000 },
          { name: 'purge-expired-voice-data', data: { v: 1 }, opts: SCHEDULED_JOB_OPTIONS },
        )
        .catch((error) => logger.warn({ err: error }, 'retention schedule not set; it is retried at the next start'));
    },
    rawRoutes: (deps) => [vapiSyncRoute(config, { db: dbOf(deps), producer: deps.producer, logger: deps.logger })],
    routes: (app, deps) => {
      app.use(
        '/internal',
        requireInternalToken(config.INTERNAL_API_SECRET),
        callsRouter(config, dbOf(deps)),
        consultationRouter(dbOf(deps)),
      );
    },
  });
}
