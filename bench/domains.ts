/**
 * The domain service's targets, run by bench/run.ts: a search of 50 candidates against a fake RDAP registry that
 * answers each lookup in 50 ms (target: p95 under 1.5 s), and the same search again, answered from the cache
 * (target: p95 under 20 ms). The figure is the job's own time in the worker (BullMQ's processedOn → finishedOn);
 * the queue's hand-over is reported beside it. Bounded: a fixed number of searches.
 */
import { randomUUID } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import pino from 'pino';
import { JobProducer, createRedis, waitForRedis } from '@dreamseed/platform';
import { deletePrefix, freePort, startFakeServer, uniquePrefix, waitForHttpOk } from '@dreamseed/testing';
import { runApp } from './apps';
import { percentile } from './stats';

const UNCACHED_SEARCHES = 12;
const CACHED_SEARCHES = 40;
const CANDIDATES = 50;
const RDAP_DELAY_MS = 50;

export interface DomainBenchResult {
  name: string;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  /** The whole round trip: enqueue until the producer hears the job finished. */
  p95EndToEndMs: number;
  targetP95Ms: number;
  /** p95 ÷ target: under 1 meets it. */
  ratioOfTarget: number;
}

/** Letters only, so that generated names stay letters only; fresh per run so no earlier answer is reused. */
const freshWord = () => randomUUID().replace(/[^a-f]/g, '').slice(0, 6).padEnd(6, 'x');

export async function benchDomains(options: { databaseUrl: string; redisUrl: string }): Promise<DomainBenchResult[]> {
  const rdap = await startFakeServer({ 'GET /registry/domain/:name': { status: 404, delayMs: RDAP_DELAY_MS, body: { errorCode: 404 } } });
  rdap.route('GET /iana/dns.json', { body: { version: '1.0', services: [[['com', 'net', 'org', 'co', 'io', 'us', 'shop', 'store', 'biz'], [`${rdap.url}/registry/`]]] } });
  const prefix = uniquePrefix('bench-domain');
  const port = await freePort();
  const service = runApp('domain-service', {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: prefix,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DOMAIN_PROVIDER: 'rdap',
    RDAP_BOOTSTRAP_URL: `${rdap.url}/iana/dns.json`,
    DOMAIN_SEARCH_CANDIDATES: String(CANDIDATES),
  });
  const redis = createRedis(options.redisUrl, 'producer', { name: 'bench' });
  const producer = new JobProducer({ connection: redis, prefix, logger: pino({ level: 'silent' }) });
  // BullMQ does not close a connection it was given: this one is closed below, or the bench would never exit.
  const eventsRedis = createRedis(options.redisUrl, 'worker', { name: 'bench' });
  const events = new QueueEvents('domain', { connection: eventsRedis, prefix });
  try {
    await waitForHttpOk(`http://127.0.0.1:${port}/health/ready`, 60_000, service);
    await waitForRedis(redis, 2000);
    await events.waitUntilReady();
    const queue = producer.queue('domain');
    const run = async (name: 'search-domains' | 'refresh-rdap-bootstrap', payload: Record<string, unknown>) => {
      const jobId = randomUUID();
      const started = performance.now();
      await producer.enqueue('domain', name, { v: 1, ...payload } as never, { jobId });
      const job = await queue.getJob(jobId);
      if (!job) throw new Error('job vanished');
      const result = (await job.waitUntilFinished(events, 30_000)) as { candidates?: number };
      const done = await queue.getJob(jobId);
      return { endToEndMs: performance.now() - started, workerMs: (done?.finishedOn ?? 0) - (done?.processedOn ?? 0), result };
    };
    await run('refresh-rdap-bootstrap', {});

    const brief = (word: string) => ({
      businessName: `${word} Oak Bakery`,
      primaryService: 'sourdough bread',
      whoServes: 'local families',
      brandVibe: 'friendly',
      priceLevel: 'budget',
    });
    const search = (word: string) => run('search-domains', { userId: randomUUID(), searchId: randomUUID(), trigger: 'api', brief: brief(word) });

    const uncached: Awaited<ReturnType<typeof search>>[] = [];
    const words: string[] = [];
    for (let i = 0; i < UNCACHED_SEARCHES; i += 1) {
      const word = freshWord();
      words.push(word);
      const measured = await search(word);
      if (measured.result.candidates !== CANDIDATES) throw new Error(`a search checked ${measured.result.candidates} names, not ${CANDIDATES}`);
      uncached.push(measured);
    }
    const cached: Awaited<ReturnType<typeof search>>[] = [];
    for (let i = 0; i < CACHED_SEARCHES; i += 1) cached.push(await search(words[i % words.length] as string));

    const summarise = (name: string, runs: typeof uncached, targetP95Ms: number): DomainBenchResult => {
      const p95Ms = percentile(runs.map((r) => r.workerMs), 95);
      return {
        name,
        runs: runs.length,
        p50Ms: percentile(runs.map((r) => r.workerMs), 50),
        p95Ms,
        p95EndToEndMs: Math.round(percentile(runs.map((r) => r.endToEndMs), 95)),
        targetP95Ms,
        ratioOfTarget: Number((p95Ms / targetP95Ms).toFixed(3)),
      };
    };
    return [
      summarise(`domain search, ${CANDIDATES} names, RDAP at ${RDAP_DELAY_MS} ms`, uncached, 1500),
      summarise(`domain search, ${CANDIDATES} names, cached`, cached, 20),
    ];
  } finally {
    service.kill('SIGTERM');
    await service.exited;
    await events.close();
    eventsRedis.disconnect();
    await producer.close();
    redis.disconnect();
    await rdap.close();
    await deletePrefix(options.redisUrl, prefix);
  }
}

export function printDomainTable(results: DomainBenchResult[]) {
  const rows = results.map((r) => [r.name, String(r.runs), String(r.p50Ms), String(r.p95Ms), String(r.p95EndToEndMs), String(r.targetP95Ms), r.ratioOfTarget.toFixed(3)]);
  const header = ['domain scenario', 'runs', 'p50 ms', 'p95 ms', 'p95 end-to-end ms', 'target p95 ms', 'p95 ÷ target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  process.stdout.write(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`);
}
