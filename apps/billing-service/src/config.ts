import { z } from 'zod';
import { DEVELOPMENT_JWT_SECRET, baseConfigSchema, checkRedisCluster, refuseDevelopmentSecrets, envPort, envUrl, loadConfig, secret, type Env } from '@dreamseed/platform';
import { catalogFromEnv } from './billing/catalog';

export const billingConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8084).describe("The app's HTTP port."),
  JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET)).describe(
    "The gateway's JWT_SECRET: the founder API checks the tokens the gateway forwards.",
  ),
  JWT_ISSUER: z.string().default('http://localhost:8080/auth/v1').describe("The gateway's token issuer (its PUBLIC_URL + /auth/v1)."),
  PUBLIC_URL: envUrl(['http', 'https'])
    .default('http://localhost:8080')
    .describe("The gateway's PUBLIC_URL: the local provider's confirm links point there."),
  STRIPE_SECRET_KEY: secret(z.string().min(1).optional()).describe(
    "Stripe's secret key (sk_live_... or sk_test_...) for Checkout and subscription changes. Unset: see BILLING_PROVIDER.",
  ),
  // Production never falls back to the free local provider by itself: see refuseUnchosenProvider.
  BILLING_PROVIDER: z
    .enum(['stripe', 'local'])
    .optional()
    .describe(
      'Who takes payments: stripe (needs STRIPE_SECRET_KEY) or local, an offline stand-in that marks a checkout paid ' +
        'when its founder confirms it, charging nothing. Unset: stripe when a key is set, else local; production ' +
        'refuses to start without a key unless local is named here.',
    ),
  STRIPE_API_BASE_URL: envUrl(['http', 'https']).default('https://api.stripe.com').describe("Stripe's API address (tests point it at a fake server)."),
  BILLING_SUCCESS_URL: envUrl(['http', 'https'])
    .optional()
    .describe(
      'Where Stripe Checkout sends the founder after paying ({CHECKOUT_SESSION_ID} is filled in). Unset: the web ' +
        "app's result page, PUBLIC_URL + /billing/success?session_id={CHECKOUT_SESSION_ID}.",
    ),
  BILLING_CANCEL_URL: envUrl(['http', 'https'])
    .optional()
    .describe("Where Stripe Checkout sends a founder who gave up. Unset: the web app's page, PUBLIC_URL + /billing/cancel."),
  BILLING_CATALOG: catalogFromEnv.describe(
    'What is on sale, as a JSON array of {"id", "name", "kind" ("one_time" or "subscription"), "interval" (null, ' +
      '"month" or "year"), "amountMinor" (cents), "currency", "stripePriceId" (optional: a Stripe price instead of ' +
      'the inline amount), "formation" (optional: paying it opens a formation case; default true for a one-time ' +
      'package whose id starts with "formation-"), "includesDomain" (optional: it buys the chosen domain too, a ' +
      'formation package only; default true for formation-standard and formation-premium)}. Unset: three formation ' +
      'packages (Basic without a domain, Standard and Premium with one) and monthly and yearly plans, in USD.',
  ),
  BILLING_GRACE_PERIOD_DAYS: z.coerce
    .number()
    .min(0)
    .max(60)
    .default(3)
    .describe('A subscription past its period end by more than this many days expires (its access ends).'),
  BILLING_EXPIRY_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60)
    .describe('How often the expiry job runs.'),
})
  .superRefine(refuseDevelopmentSecrets)
  .superRefine(checkRedisCluster)
  .superRefine(refuseUnchosenProvider);

export type BillingConfig = ReturnType<typeof loadBillingConfig>;

/** The provider the config names, or the one its Stripe key implies. */
export function paymentProviderOf(config: Pick<BillingConfig, 'BILLING_PROVIDER' | 'STRIPE_SECRET_KEY'>): 'stripe' | 'local' {
  return config.BILLING_PROVIDER ?? (config.STRIPE_SECRET_KEY ? 'stripe' : 'local');
}

/**
 * The local provider gives away whatever is on sale, so production falling back to it because a Stripe key went
 * missing would be silent and costly: there it runs only when named.
 */
function refuseUnchosenProvider(config: { NODE_ENV: string; BILLING_PROVIDER?: 'stripe' | 'local'; STRIPE_SECRET_KEY?: string }, ctx: z.RefinementCtx): void {
  if (config.BILLING_PROVIDER === 'stripe' && !config.STRIPE_SECRET_KEY) {
    ctx.addIssue({ code: 'custom', path: ['STRIPE_SECRET_KEY'], message: 'must be set when BILLING_PROVIDER=stripe' });
  }
  if (config.NODE_ENV === 'production' && !config.BILLING_PROVIDER && !config.STRIPE_SECRET_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['BILLING_PROVIDER'],
      message: 'must be set in production without STRIPE_SECRET_KEY: set STRIPE_SECRET_KEY to take payments, or BILLING_PROVIDER=local to let founders confirm payments for free',
    });
  }
}

export function loadBillingConfig(env: Env = process.env) {
  return loadConfig('billing-service', billingConfigSchema, env);
}
