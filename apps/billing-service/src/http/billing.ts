import express, { type Router } from 'express';
import { desc, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CheckoutConfirmation, PaymentView, SubscriptionView } from '@dreamseed/contracts';
import { badRequest, createFounderTokenVerifier, newestFirstPage, notFound, pageRequest, summarizeIssues, withFounder } from '@dreamseed/platform';
import type { Catalog } from '../billing/catalog';
import type { CheckoutService } from '../billing/checkout';
import type { BillingConfig } from '../config';
import type { BillingDb, PaymentRow, SubscriptionRow } from '../db/client';
import { payments, subscriptions } from '../db/schema';
import type { LocalCheckouts } from '../jobs/local-checkout';

const checkoutBody = z.object({ package: z.string().min(1).max(100) }).strict();
const checkoutIdParam = z.uuid();

/**
 * The billing internal API for the gateway: the catalog (public facts), and the founder's checkout, subscription
 * and payments with the founder's own token, read under row-level security, and the confirmation of the
 * founder's local checkout.
 */
export function billingRouter(config: BillingConfig, db: BillingDb, catalog: Catalog, checkouts: CheckoutService, localCheckouts: LocalCheckouts): Router {
  const router = express.Router();
  const founderOf = createFounderTokenVerifier({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER });

  router.get('/packages', (_req, res) => {
    res.json({ packages: catalog.views() });
  });

  router.post('/checkout', express.json({ limit: '16kb' }), async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const body = checkoutBody.safeParse(req.body ?? {});
    if (!body.success) throw badRequest('validation_failed', 'The request is not valid.', summarizeIssues(body.error.issues));
    const { checkoutId, url, reused } = await checkouts.start(founder, body.data.package, req.correlationId);
    res.status(reused ? 200 : 201).json({ checkoutId, url });
  });

  router.post('/checkout/:id/confirm', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const id = checkoutIdParam.safeParse(req.params.id);
    if (!id.success) throw notFound('No such checkout.');
    const confirmation: CheckoutConfirmation = { checkoutId: id.data.toLowerCase(), confirming: true };
    await localCheckouts.request(founder, confirmation.checkoutId, req.correlationId);
    res.status(202).json(confirmation);
  });

  router.get('/subscription', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const [row] = await withFounder(db, founder, (tx) => tx.select().from(subscriptions).orderBy(...CURRENT_SUBSCRIPTION_FIRST).limit(1));
    res.json({ subscription: row ? subscriptionView(row) : null });
  });

  router.get('/payments', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const page = pageRequest(req.query);
    const { items: rows, next_cursor } = await withFounder(db, founder, (tx) =>
      newestFirstPage(tx.select().from(payments).$dynamic(), payments, payments.createdAt, payments.id, page),
    );
    res.json({ payments: rows.map(paymentView), next_cursor });
  });

  return router;
}

/** The founder's subscription to show: the current one first, else the latest that ended. */
export const CURRENT_SUBSCRIPTION_FIRST = [sql`${isNull(subscriptions.expiredAt)} desc`, desc(subscriptions.currentPeriodEnd)] as const;

export function subscriptionView(row: SubscriptionRow): SubscriptionView {
  return {
    id: row.id,
    plan: row.plan as SubscriptionView['plan'],
    status: row.status,
    currentPeriodEnd: row.currentPeriodEnd?.toISOString() ?? null,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    packageId: row.packageId,
    provider: row.provider,
  };
}

export function paymentView(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    packageId: row.packageId,
    kind: row.kind as PaymentView['kind'],
    amountMinor: row.amountMinor,
    amountRefundedMinor: row.amountRefundedMinor,
    currency: row.currency,
    status: row.status,
    paidAt: row.paidAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
