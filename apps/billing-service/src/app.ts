import { createAppLogger, requireInternalToken, startService, type Logger, type ServiceDeps, type ServiceParts } from '@dreamseed/platform';
import { Catalog } from './billing/catalog';
import { CheckoutService } from './billing/checkout';
import { Ledger } from './billing/ledger';
import { ProfileReporter } from './billing/profile';
import { createPaymentProvider } from './billing/provider';
import { billingConfigSchema, type BillingConfig } from './config';
import { createBillingDb } from './db/client';
import { billingRouter } from './http/billing';
import { operatorBillingRouter } from './http/operator';
import { billingJobHandlers } from './jobs';
import { LocalCheckouts } from './jobs/local-checkout';

export const APP_NAME = 'billing-service';

/** The billing service's parts, built once from the platform's connections. */
function buildBilling(config: BillingConfig, { pool, producer, logger }: ServiceDeps<BillingConfig>): ServiceParts<'billing'> {
  const db = createBillingDb(pool);
  const catalog = new Catalog(config.BILLING_CATALOG);
  const provider = createPaymentProvider(config);
  const reporter = new ProfileReporter(db, producer);
  const ledger = new Ledger(catalog);
  const checkouts = new CheckoutService(db, catalog, provider, reporter, logger);
  const localCheckouts = new LocalCheckouts(db, ledger, reporter, producer, provider);
  logger.info({ provider: provider.name }, 'payment provider');
  return {
    handlers: billingJobHandlers({ db, catalog, ledger, reporter, provider, localCheckouts, config }),
    routes: (app) => {
      app.use(
        '/internal',
        requireInternalToken(config.INTERNAL_API_SECRET),
        billingRouter(config, db, catalog, checkouts, localCheckouts),
        operatorBillingRouter(config, db),
      );
    },
    schedulers: [
      { id: 'expire-subscriptions', every: config.BILLING_EXPIRY_INTERVAL_MINUTES * 60 * 1000, job: 'expire-subscriptions', data: { v: 1 } },
    ],
  };
}

/** Starts the billing-service: its worker on the `billing` queue and its HTTP server (health, metrics, internal API). */
export function startBillingService(config: BillingConfig, logger: Logger = createAppLogger(APP_NAME, billingConfigSchema, config)) {
  return startService({
    name: APP_NAME,
    config,
    configSchema: billingConfigSchema,
    logger,
    queue: 'billing',
    build: (deps) => buildBilling(config, deps),
  });
}
