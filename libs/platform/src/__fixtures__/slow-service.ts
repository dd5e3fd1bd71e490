/**
 * A service on the `domain` queue whose `refresh-rdap-bootstrap` handler takes SLOW_MS: the shutdown tests
 * send it SIGTERM while that job runs. It uses the same bootstrap and entry point as the real apps.
 */
import { z } from 'zod';
import { acknowledgeOnly, baseConfigSchema, createAppLogger, envPort, loadConfig, runMain, sleep, startService } from '../index';

const schema = baseConfigSchema.extend({ PORT: envPort.default(0), SLOW_MS: z.coerce.number().int().min(0) });
const config = loadConfig('slow-service', schema);
const logger = createAppLogger('slow-service', schema, config);

runMain({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  start: async () => [
    await startService({
      name: 'slow-service',
      config,
      configSchema: schema,
      logger,
      queue: 'domain',
      build: () => ({
        handlers: {
          'search-domains': acknowledgeOnly('fixture'),
          'select-domain': acknowledgeOnly('fixture'),
          'register-domain': acknowledgeOnly('fixture'),
          'erase-founder': acknowledgeOnly('fixture'),
          'refresh-rdap-bootstrap': async (_payload, { log }) => {
            log.info('slow job started');
            await sleep(config.SLOW_MS);
            log.info('slow job finished');
            return { slept: config.SLOW_MS };
          },
        },
      }),
    }),
  ],
});
