import type { JobHandlers } from '@dreamseed/platform';
import type { Catalog } from '../billing/catalog';
import type { Ledger } from '../billing/ledger';
import type { ProfileReporter } from '../billing/profile';
import type { PaymentProvider } from '../billing/provider';
import type { BillingConfig } from '../config';
import type { BillingDb } from '../db/client';
import type { LocalCheckouts } from './local-checkout';
import { Refunds } from './refund';
import { StripeEventProcessor } from './stripe-event';
import { SubscriptionJobs } from './subscriptions';

/** One handler per job of the `billing` queue (the catalog is in libs/contracts). */
export function billingJobHandlers(deps: {
  db: BillingDb;
  catalog: Catalog;
  ledger: Ledger;
  reporter: ProfileReporter;
  provider: PaymentProvider;
  localCheckouts: LocalCheckouts;
  config: BillingConfig;
}): JobHandlers<'billing'> {
  const { db, catalog, ledger, reporter, provider, localCheckouts, config } = deps;
  const events = new StripeEventProcessor(db, ledger, reporter, provider);
  const subscriptionJobs = new SubscriptionJobs(db, catalog, provider, reporter, config.BILLING_GRACE_PERIOD_DAYS);
  const refunds = new Refunds(db, ledger, reporter, provider);
  return {
    'stripe-event': (payload, context) => events.handle(payload, context),
    'confirm-local-checkout': (payload, context) => localCheckouts.confirm(payload, context),
    'cancel-subscription': (payload, context) => subscriptionJobs.cancel(payload, context),
    'change-subscription': (payload, context) => subscriptionJobs.change(payload, context),
    'refund-payment': (payload, context) => refunds.refund(payload, context),
    'expire-subscriptions': (payload, context) => subscriptionJobs.expire(payload, context),
  };
}
