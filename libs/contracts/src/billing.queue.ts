import { z } from 'zod';
import { defineCatalog, job, payloadV1 } from './catalog';
import { isoDateTime, SUBSCRIPTION_TYPES, userId } from './common';

export const billingJobs = defineCatalog({
  /**
   * A Stripe event whose signature the gateway checked. The job id is the event id; the billing service also
   * records each id once in `billing_events`, in the same transaction as its effect.
   */
  'stripe-event': job(
    payloadV1({
      eventId: z.string().min(1).max(255),
      type: z.string().min(1).max(255),
      receivedAt: isoDateTime,
      /**
       * The event's `api_version`, at which its object is rendered (null: the event had none). Absent from jobs
       * of gateways older than this field; billing reads only the versions it supports.
       */
      apiVersion: z.string().max(255).nullish(),
      event: z.record(z.string(), z.unknown()),
    }),
    { attempts: 10, backoffMs: 2000 },
  ),
  /** The local (offline) provider's confirm page was used: complete that checkout as paid. */
  'confirm-local-checkout': job(payloadV1({ checkoutId: z.uuid() })),
  /** Cancel the founder's subscription at the end of its period. */
  'cancel-subscription': job(payloadV1({ userId, requestId: z.uuid() })),
  /**
   * Move the founder's running subscription to `plan` now, with proration, lifting a pending cancellation; to the
   * plan it already runs, only lift the cancellation (a resume). `requestId` keys the provider's idempotency.
   */
  'change-subscription': job(payloadV1({ userId, plan: z.enum(SUBSCRIPTION_TYPES), requestId: z.uuid() })),
  /**
   * An operator refunds a payment, whole or in part (`amount` in the payment's minor units; absent: what is left).
   * `requestId` keys the provider's idempotency (Stripe's Idempotency-Key), so a retried job refunds once; the
   * ledger follows Stripe's `charge.refunded` as for any refund, the local provider's at once.
   */
  'refund-payment': job(
    payloadV1({ userId, paymentId: z.uuid(), amount: z.number().int().positive().optional(), requestId: z.uuid(), reason: z.string().max(500).optional() }),
    { attempts: 5, backoffMs: 5000 },
  ),
  /** Expire subscriptions past their end plus the grace period (scheduled). */
  'expire-subscriptions': job(payloadV1({ now: isoDateTime.optional() }), { attempts: 3 }),
});

export type BillingJobs = typeof billingJobs;
