import { jobCatalogs, QUEUES } from '@dreamseed/contracts';
import type { GatewayTx } from '../db/client';
import { webhookInbox } from '../db/schema';

/** The owners that hold what a founder said, or what was made from it (docs/security.md, account deletion). */
const ERASING_OWNERS = [QUEUES.voice, QUEUES.analysis, QUEUES.domain] as const;

/**
 * One erasure per founder and owner: BullMQ and the inbox both drop a second one with the same id. The owner is in
 * the id because the inbox keys its rows by job id alone, across queues.
 */
export const eraseJobId = (queue: string, profileId: string) => `erase-${queue}-${profileId}`;

/**
 * Asks every owner to erase a deleted founder's words, in the deletion's own transaction: the requests wait in the
 * Postgres inbox, which the relay moves to the queues (`WebhookInbox.relay`), so an erasure is neither lost when
 * Redis is away nor sent for a deletion that rolled back. Each payload is checked against its catalog here, as the
 * relay's enqueue checks it again: a row it refused would stay at the head of the inbox and hold back the others.
 */
export async function askOwnersToErase(tx: GatewayTx, profileId: string, queuePrefix: string): Promise<void> {
  const jobName = 'erase-founder';
  const rows = ERASING_OWNERS.map((queue) => ({
    jobId: eraseJobId(queue, profileId),
    queue,
    jobName,
    queuePrefix,
    payload: jobCatalogs[queue][jobName].schema.parse({ v: 1, userId: profileId }),
  }));
  await tx.insert(webhookInbox).values(rows).onConflictDoNothing();
}
