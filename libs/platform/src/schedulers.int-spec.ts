import { startTestService } from './__fixtures__/test-service';
import { baseConfigSchema, envPort, loadConfig } from './config';
import { startService } from './service';
import { acknowledgeOnly } from './worker';

const schema = baseConfigSchema.extend({ PORT: envPort.default(0) });

/** The schedulers an app's `build` declares, as a running service sets them. */
describe("a service's schedulers", () => {
  let harness: Awaited<ReturnType<typeof startHarness>>;
  const startHarness = () =>
    startTestService({
      label: 'schedulers',
      start: (base, logger) =>
        startService({
          name: 'schedulers-test',
          config: loadConfig('schedulers-test', schema, { ...base, DATABASE_POOL_MAX: '2' }),
          configSchema: schema,
          logger,
          queue: 'domain',
          build: () => ({
            handlers: {
              'search-domains': acknowledgeOnly('test'),
              'select-domain': acknowledgeOnly('test'),
              'register-domain': acknowledgeOnly('test'),
              'erase-founder': acknowledgeOnly('test'),
              'refresh-rdap-bootstrap': acknowledgeOnly('test'),
            },
            schedulers: [{ id: 'refresh-rdap-bootstrap', every: 24 * 3600 * 1000, job: 'refresh-rdap-bootstrap', data: { v: 1 as const } }],
          }),
        }),
    });

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('are set by id once the service is ready, with the payload and the tries of the catalog', async () => {
    const scheduler = await harness.producer.queue('domain').getJobScheduler('refresh-rdap-bootstrap');
    expect(scheduler).toMatchObject({ key: 'refresh-rdap-bootstrap', name: 'refresh-rdap-bootstrap', every: 24 * 3600 * 1000 });
    expect(scheduler?.template).toMatchObject({ data: { v: 1 }, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } });
  });
});
