import pino from 'pino';
import type { ConsultationCallView, QueueName } from '@dreamseed/contracts';
import type { JobContext } from '@dreamseed/platform';
import { founderAccessToken, startTestService } from '@dreamseed/platform/testing';
import { startFakeServer } from '@dreamseed/testing';
import { OfflineExtractor } from '../analysis/offline';
import { startAnalysisService } from '../app';
import { loadAnalysisConfig, type AnalysisConfig } from '../config';
import { createAnalysisDb } from '../db/client';
import { Analyser, type AnalyserDeps } from '../jobs/analyse';
import { fetchConsultation } from '../voice-client';

const INTERNAL_TOKEN = 'internal-secret-for-tests';

/**
 * An analysis service of the test's own (in-process, own queue prefix) reading calls from a fake voice service
 * whose calls the test sets per founder, with a producer on that prefix and a pool to look at the rows.
 */
export async function startTestAnalysis(env: Record<string, string> = {}) {
  const calls = new Map<string, ConsultationCallView[]>();
  const voice = await startFakeServer({
    'GET /internal/founders/:userId/consultation': (req) => ({ body: { userId: req.params.userId, calls: calls.get(req.params.userId ?? '') ?? [] } }),
  });
  let config: AnalysisConfig | undefined;
  const harness = await startTestService({
    label: 'analysis',
    runTimeoutMs: 15_000,
    start: (base, logger) =>
      startAnalysisService((config = loadAnalysisConfig({ ...base, VOICE_SERVICE_URL: voice.url, INTERNAL_API_SECRET: INTERNAL_TOKEN, ...env })), logger),
  });
  return {
    ...harness,
    config: config as AnalysisConfig,
    deps: harness.service.deps,
    voice,
    /** Sets what the fake voice service answers for this founder's ended calls. */
    setCalls(userId: string, founderCalls: ConsultationCallView[]) {
      calls.set(userId, founderCalls);
    },
    /** Reads the internal API as the gateway does for a founder: the platform's token and the founder's. */
    async read(path: string, userId: string) {
      const token = await founderAccessToken(userId, (config as AnalysisConfig).JWT_ISSUER);
      const response = await fetch(`${harness.url}/internal${path}`, { headers: { 'x-internal-token': INTERNAL_TOKEN, authorization: `Bearer ${token}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    /**
     * An Analyser as the service builds it, on this service's database, queues and fake voice service, to drive
     * by hand (one try of a job, a second copy of one); `deps` changes what the test needs changed.
     */
    analyser(deps: Partial<AnalyserDeps> = {}) {
      return new Analyser({
        db: createAnalysisDb(harness.pool),
        producer: harness.producer,
        provider: new OfflineExtractor(),
        fetchConsultation: (id, signal) => fetchConsultation(config as AnalysisConfig, id, signal),
        logger: pino({ level: 'silent' }),
        leaseMs: 60_000,
        ...deps,
      });
    },
    /** What a job's try passes the Analyser: `lastAttempt` when it is the job's last. */
    jobContext(lastAttempt = false, correlationId = 'analysis-test') {
      return { lastAttempt, log: pino({ level: 'silent' }), signal: new AbortController().signal, correlationId } as unknown as JobContext;
    },
    /** The jobs waiting on another queue (what the service sent on). */
    async sent(queue: QueueName) {
      const jobs = await harness.producer.queue(queue).getJobs(['waiting', 'delayed', 'prioritized']);
      return jobs.map((job) => ({ id: job.id, name: job.name, data: job.data as Record<string, unknown> }));
    },
    async stop() {
      await harness.stop();
      await voice.close();
    },
  };
}

export type TestAnalysis = Awaited<ReturnType<typeof startTestAnalysis>>;
