import { eq } from 'drizzle-orm';
import { withOwnerRole } from '@dreamseed/platform';
import type { BillingDb, BillingTx } from '../db/client';
import { billingEvents } from '../db/schema';
import type { Effect, Outcome } from './ledger';
import type { ProfileReporter } from './profile';

export interface BillingEvent {
  id: string;
  provider: 'stripe' | 'local';
  type: string;
  livemode?: boolean;
  createdAt: Date;
  receivedAt: Date;
  /** The job's correlation id, carried into the profile report. */
  correlationId?: string;
  /** The provider object the event is about (session, subscription, invoice, charge, checkout). */
  objectId: string | null;
}

/**
 * Applies a provider event once: its id goes into `billing_events` in the same transaction as its effect, so a
 * second delivery, or a retry after the effect committed, changes nothing. The founder's profile report
 * follows the commit and is sent again on a retry under the same id, which the gateway applies once.
 */
export async function applyOnce(
  db: BillingDb,
  reporter: ProfileReporter,
  event: BillingEvent,
  effectOf: (tx: BillingTx) => Promise<Effect>,
): Promise<{ outcome: Outcome | 'duplicate' }> {
  const result = await withOwnerRole(db, 'billing', async (tx) => {
    const recorded = await tx
      .insert(billingEvents)
      .values({
        id: event.id,
        provider: event.provider,
        type: event.type,
        livemode: event.livemode ?? false,
        eventCreatedAt: event.createdAt,
        outcome: 'ignored',
        receivedAt: event.receivedAt,
      })
      .onConflictDoNothing()
      .returning({ id: billingEvents.id });
    if (!recorded.length) {
      const [prior] = await tx.select().from(billingEvents).where(eq(billingEvents.id, event.id));
      const refs = (prior?.objectRefs ?? {}) as { businessId?: string | null };
      return { duplicate: true, outcome: (prior?.outcome ?? 'ignored') as Outcome, businessId: refs.businessId ?? undefined };
    }
    const effect = await effectOf(tx);
    await tx
      .update(billingEvents)
      .set({ outcome: effect.outcome, objectRefs: { objectId: event.objectId, businessId: effect.businessId ?? null } })
      .where(eq(billingEvents.id, event.id));
    return { duplicate: false, ...effect };
  });
  if (result.outcome === 'applied' && result.businessId) await reporter.report(result.businessId, `${event.provider}-${event.id}`, event.correlationId);
  return { outcome: result.duplicate ? 'duplicate' : result.outcome };
}
