import type { Logger } from 'pino';
import { InvalidJobPayloadError } from './errors';
import type { JobProducer } from './producer';
import { scheduledJobs, upsertSchedulers, type Scheduler } from './schedulers';

describe('scheduledJobs', () => {
  it("checks each payload against the queue's catalog and takes its tries and backoff from there", () => {
    const [job] = scheduledJobs('domain', [{ id: 'refresh-rdap-bootstrap', every: 86_400_000, job: 'refresh-rdap-bootstrap', data: { v: 1 } }]);
    expect(job).toEqual({
      id: 'refresh-rdap-bootstrap',
      every: 86_400_000,
      name: 'refresh-rdap-bootstrap',
      data: { v: 1 },
      opts: expect.objectContaining({ attempts: 3, backoff: { type: 'exponential', delay: 60_000 } }),
    });
    // The queue's own retention, never a count that would trim every job's records (see SCHEDULED_JOB_OPTIONS).
    expect(job?.opts.removeOnComplete).toEqual({ age: 7 * 24 * 3600, count: 100_000 });
  });

  it('refuses a payload its schema refuses, and a job the catalog does not name', () => {
    const wrongVersion = { id: 'purge', every: 1000, job: 'purge-expired-voice-data', data: { v: 2 } } as unknown as Scheduler<'voice'>;
    expect(() => scheduledJobs('voice', [wrongVersion])).toThrow(InvalidJobPayloadError);
    const unknown = { id: 'x', every: 1000, job: 'no-such-job', data: { v: 1 } } as unknown as Scheduler<'voice'>;
    expect(() => scheduledJobs('voice', [unknown])).toThrow(InvalidJobPayloadError);
  });
});

describe('upsertSchedulers', () => {
  it('sets each schedule by its id, and warns of one that cannot be set rather than failing the start', async () => {
    const upserted: unknown[][] = [];
    const producer = {
      queue: () => ({
        upsertJobScheduler: async (...args: unknown[]) => {
          upserted.push(args);
          if (args[0] === 'broken') throw new Error('redis away');
        },
      }),
    } as unknown as JobProducer;
    const warnings: unknown[][] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    const jobs = scheduledJobs('billing', [
      { id: 'expire-subscriptions', every: 60_000, job: 'expire-subscriptions', data: { v: 1 } },
      { id: 'broken', every: 60_000, job: 'expire-subscriptions', data: { v: 1 } },
    ]);

    await upsertSchedulers(producer, 'billing', jobs, logger);

    expect(upserted.map(([id, repeat, template]) => [id, repeat, (template as { name: string }).name])).toEqual([
      ['expire-subscriptions', { every: 60_000 }, 'expire-subscriptions'],
      ['broken', { every: 60_000 }, 'expire-subscriptions'],
    ]);
    expect(warnings).toEqual([[expect.objectContaining({ scheduler: 'broken' }), 'schedule not set; it is retried at the next start']]);
  });
});
