import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import pino from 'pino';
import { JobProducer, createRedis, waitForRedis, type AppHandle } from '@dreamseed/platform';
import { deletePrefix, testInfra, uniquePrefix, waitFor } from '@dreamseed/testing';
import { startVoiceService } from '../app';
import { loadVoiceConfig } from '../config';

describe('voice service: retention', () => {
  const prefix = uniquePrefix('retention');
  const redis = createRedis(testInfra().redisUrl, 'producer', { name: 'test' });
  const producer = new JobProducer({ connection: redis, prefix, logger: pino({ level: 'silent' }) });
  const pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 2 });
  let voice: AppHandle;

  beforeAll(async () => {
    voice = await startVoiceService(
      loadVoiceConfig({ NODE_ENV: 'test', DATABASE_URL: testInfra().databaseUrl, REDIS_URL: testInfra().redisUrl, QUEUE_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1' }),
      pino({ level: 'silent' }),
    );
    await voice.ready;
    await waitForRedis(redis, 2000);
  });
  afterAll(async () => {
    await voice.stop();
    await producer.close();
    redis.disconnect();
    await pool.end();
    await deletePrefix(testInfra().redisUrl, prefix);
  });

  async function purge(olderThanDays: number) {
    const { jobId } = await producer.enqueue('voice', 'purge-expired-voice-data', { v: 1, olderThanDays });
    const queue = producer.queue('voice');
    await waitFor(async () => ['completed', 'failed'].includes(await queue.getJobState(jobId)), 'the purge');
    const job = await queue.getJob(jobId);
    if (job?.failedReason) throw new Error(job.failedReason);
    return job?.returnvalue as { transcripts: number; webhook_logs: number };
  }

  it('archives old transcripts and webhook logs compressed, deletes them, and keeps recent ones', async () => {
    const marker = randomUUID();
    const session = await pool.query(`insert into voice.call_sessions (vapi_call_id, direction) values ($1, 'inbound') returning id`, [`ret-${marker}`]);
    const recentSession = await pool.query(`insert into voice.call_sessions (vapi_call_id, direction) values ($1, 'inbound') returning id`, [`ret-recent-${marker}`]);
    await pool.query(`insert into voice.transcripts (call_session_id, text, created_at) values ($1, $2, now() - interval '5000 days')`, [session.rows[0].id, `old ${marker}`]);
    await pool.query(`insert into voice.transcripts (call_session_id, text) values ($1, $2)`, [recentSession.rows[0].id, `recent ${marker}`]);
    await pool.query(`insert into voice.webhook_logs (event_key, message_type, payload, received_at) values ($1, 'hang', '{}', now() - interval '5000 days')`, [`old-${marker}`]);

    // (The daily schedule may have run the same purge first: what counts is where the rows end up.)
    await purge(4000);

    const left = await pool.query(`select text from voice.transcripts where text like $1`, [`%${marker}`]);
    expect(left.rows.map((row) => row.text)).toEqual([`recent ${marker}`]);
    expect((await pool.query(`select 1 from voice.webhook_logs where event_key = $1`, [`old-${marker}`])).rowCount).toBe(0);

    const stored = await pool.query(`select kind, content from voice.archives order by created_at desc limit 10`);
    const unpacked = stored.rows.map((row) => gunzipSync(row.content).toString('utf8')).join('\n');
    expect(unpacked).toContain(`old ${marker}`);
    expect(unpacked).toContain(`old-${marker}`);
    expect(unpacked).not.toContain(`recent ${marker}`);

    expect(await purge(4000)).toEqual({ transcripts: 0, webhook_logs: 0 });
  });
});
