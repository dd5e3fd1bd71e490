import { createAppLogger, requireInternalToken, SCHEDULED_JOB_OPTIONS, startService, type Logger, type ServiceDeps } from '@dreamseed/platform';
import { Catalog } from './billing/catalog';
import { CheckoutService } from './billing/checkout';
import { Ledger } from './billing/ledger';
import { ProfileReporter } from './billing/profile';
import { createPaymentProvider } from './billing/provider';
import { billingConfigSchema, type BillingConfig } from './config';
import { createBillingDb } from './db/client';
import { billingRouter } from './http/billing';
import { billingJobHandlers } from './jobs';
import { LocalCheckouts } from './jobs/local-checkout';

export const APP_NAME = 'billing-service';

/** The billing service's parts, built once from the platform's connections. */
function buildBilling(config: BillingConfig, deps: ServiceDeps<BillingConfig>) {
  const db = createBillingDb(deps.pool);
  const catalog = new Catalog(config.BILLING_CATALOG);
  const provider = createPaymentProvider(config);
  const reporter = new ProfileReporter(db, deps.producer);
  const ledger = new Ledger(catalog);
  const checkouts = new CheckoutService(db, catalog, provider, reporter, deps.logger);
  const localCheckouts = new LocalCheckouts(db, ledger, reporter, deps.producer, provider);
  return { db, catalog, provider, reporter, ledger, checkouts, localCheckouts };
}

/** Starts the billing-service: its worker on the `billing` queue and its HTTP server (health, metrics, internal API). */
export function startBillingService(config: BillingConfig, logger: Logger = createAppLogger(APP_NAME, billingConfigSchema, config)) {
  let billing: ReturnType<typeof buildBilling> | undefined;
  const parts = (deps: ServiceDeps<BillingConfig>) => (billing ??= buildBilling(config, deps));
  return startService({
    name: APP_NAME,
    config,
    configSchema: billingConfigSchema,
    logger,
    queue: 'billing',
    handlers: (deps) => billingJobHandlers({ ...parts(deps), config }),
    onReady: async (deps) => {
      logger.info({ provider: parts(deps).provider.name }, 'payment provider');
      // One schedule for the whole platform however many replicas run: BullMQ keys it by id.
      await deps.producer
        .queue('billing')
        .upsertJobScheduler(
          'expire-subscriptions',
          { every: config.BILLING_EXPIRY_INTERVAL_MINUTES * 60 * 1000 },
          { name: 'expire-subscriptions', data: { v: 1 }, opts: SCHEDULED_JOB_OPTIONS },
        )
        .catch((error) => logger.warn({ err: error }, 'expiry schedule not set; it is retried at the next start'));
    },
    routes: (app, deps) => {
      const { db, catalog, checkouts, localCheckouts } = parts(deps);
      app.use('/internal', requireInternalToken(config.INTERNAL_API_SECRET), billingRouter(config, db, catalog, checkouts, localCheckouts));
    },
  });
}
