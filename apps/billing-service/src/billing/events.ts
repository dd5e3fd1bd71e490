import { eq, sql } from 'drizzle-orm';
import { withOwnerRole } from '@dreamseed/platform';
import type { BillingDb, BillingTx } from '../db/client';
import { billingEvents } from '../db/schema';
import type { Effect, FormationPaid, Outcome } from './ledger';
import type { ProfileReporter } from './profile';

export interface BillingEvent {
  id: string;
  provider: 'stripe' | 'local';
  type: string;
  livemode?: boolean;
  /** The Stripe API version its object was rendered at. */
  apiVersion?: string | null;
  createdAt: Date;
  receivedAt: Date;
  /** The job's correlation id, carried into the profile report. */
  correlationId?: string;
  /** The provider object the event is about (session, subscription, invoice, charge, checkout). */
  objectId: string | null;
}

/** An event kept but not applied: billing cannot read it (yet), and says why. */
export interface Unsupported {
  outcome: 'unsupported';
  error: string;
}

/**
 * Applies a provider event once: its id goes into `billing_events` in the same transaction as its effect, so a
 * second delivery, or a retry after the effect committed, changes nothing. An event recorded as `unsupported`
 * is the exception: its row is taken over by the next delivery, which applies it if it can now be read. The
 * founder's profile report follows the commit and is sent again on a retry under the same id (a duplicate of an
 * applied event), which the gateway applies once. So is the news of a formation package paid, under an id of its
 * payment: a payment is paid once (the ledger's later events for it are stale), so the gateway hears it once.
 */
export async function applyOnce(
  db: BillingDb,
  reporter: ProfileReporter,
  event: BillingEvent,
  effectOf: (tx: BillingTx) => Promise<Effect | Unsupported>,
): Promise<{ outcome: Outcome | 'duplicate' } | Unsupported> {
  const result = await withOwnerRole(db, 'billing', async (tx) => {
    const apiVersion = event.apiVersion ?? null;
    const recorded = await tx
      .insert(billingEvents)
      .values({
        id: event.id,
        provider: event.provider,
        type: event.type,
        livemode: event.livemode ?? false,
        apiVersion,
        eventCreatedAt: event.createdAt,
        outcome: 'ignored',
        receivedAt: event.receivedAt,
      })
      .onConflictDoUpdate({
        target: billingEvents.id,
        set: { apiVersion, outcome: 'ignored', error: null, receivedAt: event.receivedAt, processedAt: sql`now()` },
        setWhere: sql`${billingEvents.outcome} = 'unsupported'`,
      })
      .returning({ id: billingEvents.id });
    if (!recorded.length) {
      const [prior] = await tx.select().from(billingEvents).where(eq(billingEvents.id, event.id));
      const refs = (prior?.objectRefs ?? {}) as { businessId?: string | null; formationPaid?: FormationPaid };
      const effect: Effect = { outcome: (prior?.outcome ?? 'ignored') as Outcome, businessId: refs.businessId ?? undefined };
      return { duplicate: true, effect: refs.formationPaid ? { ...effect, formationPaid: refs.formationPaid } : effect };
    }
    const effect = await effectOf(tx);
    const unsupported = effect.outcome === 'unsupported';
    await tx
      .update(billingEvents)
      .set({
        outcome: effect.outcome,
        error: unsupported ? effect.error : null,
        objectRefs: {
          objectId: event.objectId,
          businessId: unsupported ? null : (effect.businessId ?? null),
          // Kept so that a retry after the commit sends the gateway what the first try may not have.
          ...(!unsupported && effect.formationPaid ? { formationPaid: effect.formationPaid } : {}),
        },
      })
      .where(eq(billingEvents.id, event.id));
    return { duplicate: false, effect };
  });
  const { effect } = result;
  if (effect.outcome === 'unsupported') return effect;
  if (effect.outcome === 'applied' && effect.businessId) {
    await reporter.report(effect.businessId, `${event.provider}-${event.id}`, event.correlationId);
    if (effect.formationPaid) await reporter.formationPaid(effect.businessId, effect.formationPaid, event.correlationId);
  }
  return { outcome: result.duplicate ? 'duplicate' : effect.outcome };
}
