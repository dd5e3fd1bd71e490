/**
 * What a registration tells the gateway: its outcome (`profile-domain-registered`) and, for operators, the
 * `domain_registration_failed` flag raised on a failure for good and cleared by a success. Every id derives from
 * the request (and, for a failure, from when it failed), so a retry sends the same report under the same id and
 * the gateway applies it once.
 */
import { jobIdFrom, uuidFrom, type JobProducer } from '@dreamseed/platform';
import type { domainRegistrations } from '../db/schema';

type RegistrationRow = typeof domainRegistrations.$inferSelect;

export async function reportRegistered(producer: JobProducer, row: RegistrationRow, correlationId?: string): Promise<void> {
  const eventId = jobIdFrom('domain-registered', row.requestId);
  const at = row.updatedAt.toISOString();
  await producer.enqueue(
    'gateway',
    'profile-domain-registered',
    {
      v: 1,
      userId: row.businessId,
      eventId,
      occurredAt: at,
      domain: row.domain,
      status: 'registered',
      expiresAt: row.expiresAt?.toISOString() ?? null,
      orderId: row.orderId,
    },
    { jobId: eventId, correlationId },
  );
  const cleared = jobIdFrom('attention-cleared-domain_registration_failed', row.requestId);
  await producer.enqueue(
    'gateway',
    'founder-attention',
    { v: 1, userId: row.businessId, eventId: cleared, occurredAt: at, kind: 'domain_registration_failed', state: 'cleared' },
    { jobId: cleared, correlationId },
  );
}

/** A failure for good (`row.lastError` says why): the founder's report, and the flag for operators. */
export async function reportFailed(producer: JobProducer, row: RegistrationRow, correlationId?: string): Promise<void> {
  const reason = row.lastError ?? 'unknown';
  const at = row.updatedAt.toISOString();
  // A request an operator retried can fail again, later: each failure is news of its own.
  const eventId = `domain-registration-failed-${uuidFrom(row.requestId, at)}`;
  await producer.enqueue(
    'gateway',
    'profile-domain-registered',
    { v: 1, userId: row.businessId, eventId, occurredAt: at, domain: row.domain, status: 'failed', reason },
    { jobId: eventId, correlationId },
  );
  const raised = jobIdFrom('attention-domain-registration-failed', row.requestId);
  await producer.enqueue(
    'gateway',
    'founder-attention',
    {
      v: 1,
      userId: row.businessId,
      eventId: raised,
      occurredAt: at,
      kind: 'domain_registration_failed',
      state: 'raised',
      detail: `Registering ${row.domain} failed (${reason}) after ${row.attempts} purchase request(s).`,
    },
    { jobId: raised, correlationId },
  );
}
