import express, { type Router } from 'express';
import { desc, eq } from 'drizzle-orm';
import { INTERNAL_PATHS, OPERATOR_READ_LIMIT, type OperatorBillingView } from '@dreamseed/contracts';
import { createOperatorReadCheck, withOwnerRole } from '@dreamseed/platform';
import type { BillingConfig } from '../config';
import type { BillingDb } from '../db/client';
import { payments, subscriptions } from '../db/schema';
import { CURRENT_SUBSCRIPTION_FIRST, paymentView, subscriptionView } from './billing';

/**
 * The operator's read of one founder's billing (the contracts' `OPERATOR_READ_LIMIT` says how an owner answers
 * it): mounted under `/internal` behind the internal token, with the operator's own token checked here. The
 * founder's rows are read as billing's role, since no founder token is at hand.
 */
export function operatorBillingRouter(config: BillingConfig, db: BillingDb): Router {
  const router = express.Router();
  const checked = createOperatorReadCheck({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER });

  router.get(INTERNAL_PATHS.billing.operatorBilling.replace(/^\/internal/, ''), async (req, res) => {
    const { userId } = await checked(req.get('authorization'), req.params.userId);
    const view = await withOwnerRole(db, 'billing', async (tx): Promise<OperatorBillingView> => {
      const paid = await tx
        .select()
        .from(payments)
        .where(eq(payments.businessId, userId))
        .orderBy(desc(payments.createdAt), desc(payments.id))
        .limit(OPERATOR_READ_LIMIT);
      const [subscription] = await tx
        .select()
        .from(subscriptions)
        .where(eq(subscriptions.businessId, userId))
        .orderBy(...CURRENT_SUBSCRIPTION_FIRST)
        .limit(1);
      return { userId, payments: paid.map(paymentView), subscription: subscription ? subscriptionView(subscription) : null };
    });
    res.json(view);
  });

  return router;
}
