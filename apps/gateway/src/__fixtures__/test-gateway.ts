import { randomUUID } from 'node:crypto';
import { GoTrueClient } from '@supabase/auth-js';
import pg from 'pg';
import pino, { type Logger } from 'pino';
import type { CatalogOf, JobInputOf, JobNameOf, QueueName } from '@dreamseed/contracts';
import { createRedis, JobProducer, waitForRedis } from '@dreamseed/platform';
import { runJob } from '@dreamseed/platform/testing';
import { deletePrefix, runTs, testInfra, testLogLevel, uniquePrefix, waitFor, type RunningProcess } from '@dreamseed/testing';
import { startGateway } from '../app';
import { loadGatewayConfig } from '../config';

/**
 * A gateway of the test's own (in-process, ephemeral port, own queue prefix) and clients that reach it the way
 * founders' apps do: `@supabase/auth-js`, unmodified.
 */
export async function startTestGateway(env: Record<string, string> = {}, logger: Logger = pino({ level: testLogLevel() })) {
  const { redisUrl } = testInfra();
  const databaseUrl = env.DATABASE_URL ?? testInfra().databaseUrl;
  const prefix = uniquePrefix('auth');
  const config = loadGatewayConfig({
    NODE_ENV: 'test',
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://127.0.0.1',
    MAIL_RELAY_INTERVAL_MS: '200',
    INTERNAL_API_SECRET: 'internal-secret-for-tests',
    // Test clients stand in for founders behind a proxy: each says its own address in X-Forwarded-For.
    TRUST_PROXY: 'loopback',
    ...env,
    DATABASE_URL: databaseUrl,
  });
  const gateway = await startGateway(config, logger);
  await gateway.ready;
  const url = `http://127.0.0.1:${gateway.port}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // A producer on the gateway's prefix, as another owner's: for the reports it sends and the jobs a test looks at.
  const redis = createRedis(redisUrl, 'producer', { name: 'test' });
  await waitForRedis(redis, 2000);
  const producer = new JobProducer({ connection: redis, prefix: config.QUEUE_PREFIX, logger: pino({ level: 'silent' }) });
  /** An auth-js client; each gets its own client IP (X-Forwarded-For) so that IP limits stay per test. */
  const client = (ip = randomIp()) =>
    new GoTrueClient({
      url: `${url}/auth/v1`,
      headers: { apikey: 'anon-key', 'X-Forwarded-For': ip },
      persistSession: false,
      autoRefreshToken: false,
    });
  return {
    url,
    metricsUrl: `http://127.0.0.1:${String(gateway.metricsPort)}/metrics`,
    authUrl: `${url}/auth/v1`,
    pool,
    config,
    client,
    producer,
    /** Enqueues a job on the gateway's prefix and waits until it is handled; returns its result, or throws its failure. */
    run<Q extends QueueName, N extends JobNameOf<CatalogOf<Q>>>(queue: Q, name: N, payload: JobInputOf<CatalogOf<Q>, N>, jobId?: string) {
      return runJob(producer, queue, name, payload, { jobId });
    },
    /** A new founder, signed up with auto-confirmation on (`AUTH_AUTOCONFIRM`): their auth-js client and access token. */
    async signUp(data?: Record<string, unknown>, label = 'founder') {
      const founder = client();
      const { data: signedUp, error } = await founder.signUp({ email: uniqueEmail(label), password: 'correct horse battery', options: data ? { data } : undefined });
      if (error || !signedUp.session) throw error ?? new Error('no session: is AUTH_AUTOCONFIRM on?');
      return { client: founder, token: signedUp.session.access_token };
    },
    /** The newest mail to an address, once the worker has written it to the outbox. */
    async mailTo(address: string, kind?: string) {
      return waitFor(async () => {
        const result = await pool.query(
          `select kind, subject, body, status from auth.mail_outbox
            where lower(recipient) = lower($1) and status = 'written' and ($2::text is null or kind = $2)
            order by created_at desc limit 1`,
          [address, kind ?? null],
        );
        return result.rows[0] as { kind: string; subject: string; body: string; status: string } | undefined;
      }, `a mail to ${address}`);
    },
    async stop() {
      await gateway.stop();
      await pool.end();
      await producer.close();
      redis.disconnect();
      await deletePrefix(redisUrl, config.QUEUE_PREFIX);
    },
  };
}

export type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;

/** The owner services a gateway test may run beside it, each as its own process (apps never import each other). */
export type OwnerApp = 'voice-service' | 'analysis-service' | 'domain-service' | 'billing-service';

/**
 * An owner service on `port`, sharing the test database, Redis, queue prefix and internal token with the test
 * gateway, and checking the founders' tokens it forwards; `env` adds or overrides (undefined unsets).
 */
export function startOwner(app: OwnerApp, port: number, prefix: string, env: Record<string, string | undefined> = {}): RunningProcess {
  return runTs(`apps/${app}/src/main.ts`, {
    DATABASE_URL: testInfra().databaseUrl,
    REDIS_URL: testInfra().redisUrl,
    QUEUE_PREFIX: prefix,
    PORT: String(port),
    HOST: '127.0.0.1',
    INTERNAL_API_SECRET: 'internal-secret-for-tests',
    JWT_ISSUER: 'http://127.0.0.1/auth/v1',
    ...env,
  });
}

export const uniqueEmail = (label = 'founder') => `${label}-${randomUUID().slice(0, 8)}@example.com`;

export const uniquePhone = () => `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

export function randomIp(): string {
  const part = () => Math.floor(Math.random() * 254) + 1;
  return `10.${part()}.${part()}.${part()}`;
}

/** The six-digit code in a mail body. */
export function codeIn(body: string): string {
  const match = /Your code: (\d{6})/.exec(body);
  if (!match?.[1]) throw new Error(`no code in mail: ${body}`);
  return match[1];
}
