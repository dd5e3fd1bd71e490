import { createAppLogger, startService, type Logger } from '@dreamseed/platform';
import { voiceConfigSchema, type VoiceConfig } from './config';
import { createVoiceDb } from './db/client';
import { vapiSyncRouter } from './http/vapi-sync';
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
    handlers: (deps) => voiceJobHandlers({ db: createVoiceDb(deps.pool), producer: deps.producer }),
    routes: (app, deps) => {
      app.use('/internal', vapiSyncRouter(config, deps.producer, deps.logger));
    },
  });
}
