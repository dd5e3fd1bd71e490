import { asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { CatalogOf, JobInputOf, JobNameOf, QueueName } from '@dreamseed/contracts';
import { QueueUnavailableError, withOwnerRole, fitForPostgres, type JobProducer } from '@dreamseed/platform';
import type { GatewayDb } from '../db/client';
import { webhookInbox } from '../db/schema';

/**
 * Accepting a webhook means holding it durably before the 2xx: in Redis (the job) when Redis answers, else in
 * the gateway's Postgres inbox, from which a relay moves it to the queue under the same job id once Redis is
 * back. A duplicate delivery meets the same job id either way and is dropped.
 */
export class WebhookInbox {
  constructor(
    private readonly db: GatewayDb,
    private readonly producer: JobProducer,
    private readonly logger: Logger,
    /** This platform's `QUEUE_PREFIX`: the rows it writes carry it, and it relays only those. */
    private readonly queuePrefix: string,
  ) {}

  async accept<Q extends QueueName, N extends JobNameOf<CatalogOf<Q>>>(
    queue: Q,
    jobName: N,
    payload: JobInputOf<CatalogOf<Q>, N>,
    { jobId, correlationId }: { jobId: string; correlationId?: string },
  ): Promise<'queued' | 'inbox'> {
    try {
      await this.producer.enqueue(queue, jobName, payload, { jobId, correlationId });
      return 'queued';
    } catch (error) {
      if (!(error instanceof QueueUnavailableError)) throw error;
      // Kept with its correlation id, which the relay's enqueue then finds in the payload.
      const held = fitForPostgres(correlationId ? { ...(payload as object), correlationId } : payload);
      await withOwnerRole(this.db, 'gateway', (tx) => tx.insert(webhookInbox).values({ jobId, queue, jobName, queuePrefix: this.queuePrefix, payload: held }).onConflictDoNothing());
      this.logger.warn({ queue, jobName, jobId }, 'queue unavailable: webhook kept in the Postgres inbox');
      return 'inbox';
    }
  }

  /** Moves what the inbox holds to the queues, oldest first; stops at the first sign Redis is still away. */
  async relay(limit = 500): Promise<number> {
    let moved = 0;
    while (moved < limit) {
      const done = await withOwnerRole(this.db, 'gateway', async (tx) => {
        // SKIP LOCKED: replicas relaying at once take different rows.
        const [row] = await tx
          .select()
          .from(webhookInbox)
          .where(or(eq(webhookInbox.queuePrefix, this.queuePrefix), isNull(webhookInbox.queuePrefix)))
          .orderBy(asc(webhookInbox.receivedAt))
          .limit(1)
          .for('update', { skipLocked: true });
        if (!row) return 'empty' as const;
        try {
          await this.producer.enqueueStored(row.queue as QueueName, row.jobName, row.payload, { jobId: row.jobId });
        } catch (error) {
          await tx
            .update(webhookInbox)
            .set({ attempts: sql`${webhookInbox.attempts} + 1`, lastError: (error as Error).message.slice(0, 500) })
            .where(eq(webhookInbox.jobId, row.jobId));
          return 'unavailable' as const;
        }
        await tx.delete(webhookInbox).where(eq(webhookInbox.jobId, row.jobId));
        return 'moved' as const;
      });
      if (done !== 'moved') break;
      moved += 1;
    }
    if (moved) this.logger.info({ moved }, 'webhook inbox relayed to the queues');
    return moved;
  }
}
