import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { QueueName } from '@dreamseed/contracts';
import { sleep } from '@dreamseed/platform';
import { waitFor } from '@dreamseed/testing';
import { startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';
import * as schema from '../db/schema';
import { deleteAccount } from './admin';
import { eraseJobId } from './erase';

const OWNERS: QueueName[] = ['analysis', 'domain', 'voice'];

describe('account deletion asks every owner to erase the founder', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true', WEBHOOK_RELAY_INTERVAL_MS: '200' });
  });
  afterAll(() => gateway.stop());

  async function signUp() {
    const { data, error } = await gateway.client().signUp({ email: uniqueEmail(), password: 'correct horse battery' });
    if (error || !data.session || !data.user) throw error ?? new Error('no session: is AUTH_AUTOCONFIRM on?');
    return { token: data.session.access_token, authUserId: data.user.id, profileId: String(data.user.app_metadata.profile_id) };
  }

  const erasures = (profileId: string) => OWNERS.map((queue) => ({ queue, jobId: eraseJobId(queue, profileId), payload: { v: 1, userId: profileId } }));

  it('writes one erasure per owner in the deletion\'s own transaction, which the catalogs accept, and only once', async () => {
    const founder = await signUp();
    const db = drizzle(gateway.pool, { schema });
    // Read inside the transaction: the relay would move committed rows to the queues before the test saw them.
    await db.transaction(async (tx) => {
      const inbox = async () =>
        (
          await tx.execute<{ queue: QueueName; job_id: string; job_name: string; payload: unknown; queue_prefix: string | null }>(
            sql`select queue, job_id, job_name, payload, queue_prefix from core.webhook_inbox where payload->>'userId' = ${founder.profileId} order by queue`,
          )
        ).rows;
      await deleteAccount(tx, founder.authUserId, gateway.config.QUEUE_PREFIX);
      const rows = await inbox();
      expect(rows.map(({ queue, job_id, payload }) => ({ queue, jobId: job_id, payload }))).toEqual(erasures(founder.profileId));
      // Each row names its platform, whose relay alone moves it (platforms may share a database, as tests do).
      expect(new Set(rows.map((row) => row.queue_prefix))).toEqual(new Set([gateway.config.QUEUE_PREFIX]));
      // As the relay enqueues them: checked against each queue's catalog, under their own job id.
      for (const row of rows) await gateway.producer.enqueueStored(row.queue, row.job_name, row.payload, { jobId: row.job_id });
      // The relay deletes what it moved; a second deletion of the same account asks nothing again.
      await tx.execute(sql`delete from core.webhook_inbox where payload->>'userId' = ${founder.profileId}`);
      await deleteAccount(tx, founder.authUserId, gateway.config.QUEUE_PREFIX);
      expect(await inbox()).toEqual([]);
    });
    for (const { queue, jobId, payload } of erasures(founder.profileId)) {
      const job = await gateway.producer.queue(queue).getJob(jobId);
      expect({ name: job?.name, data: job?.data }).toEqual({ name: 'erase-founder', data: payload });
    }
  });

  it('DELETE /v1/me puts the three erasures on the owners\' queues through the inbox', async () => {
    const founder = await signUp();
    const response = await fetch(`${gateway.url}/v1/me`, { method: 'DELETE', headers: { authorization: `Bearer ${founder.token}` } });
    expect(response.status).toBe(204);
    for (const { queue, jobId, payload } of erasures(founder.profileId)) {
      const job = await waitFor(() => gateway.producer.queue(queue).getJob(jobId), `${jobId} on the ${queue} queue`);
      expect(job.data).toEqual(payload);
    }
  });

  it("relays only its own platform's rows: another platform's, sharing the database, stay for that platform", async () => {
    const foreign = `erase-voice-${randomUUID()}`;
    await gateway.pool.query(
      `insert into core.webhook_inbox (job_id, queue, job_name, queue_prefix, payload) values ($1, 'voice', 'erase-founder', 'another-platform', $2)`,
      [foreign, { v: 1, userId: randomUUID() }],
    );
    try {
      // Several of this gateway's relay intervals (200 ms): the row is still there, and on no queue of this platform.
      await sleep(1200);
      const { rows } = await gateway.pool.query('select 1 from core.webhook_inbox where job_id = $1', [foreign]);
      expect(rows).toHaveLength(1);
      expect(await gateway.producer.queue('voice').getJob(foreign)).toBeUndefined();
    } finally {
      await gateway.pool.query('delete from core.webhook_inbox where job_id = $1', [foreign]);
    }
  });
});
