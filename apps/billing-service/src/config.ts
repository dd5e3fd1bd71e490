import { z } from 'zod';
import { DEVELOPMENT_JWT_SECRET, baseConfigSchema, refuseDevelopmentSecrets, envPort, envUrl, loadConfig, secret, type Env } from '@dreamseed/platform';
import { catalogFromEnv } from './billing/catalog';

export const billingConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8084),
  /** The gateway's token key and issuer: the founder API checks the tokens the gateway forwards. */
  JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET)),
  JWT_ISSUER: z.string().default('http://localhost:8080/auth/v1'),
  /** The gateway's public address: the local provider's confirm links point there. */
  PUBLIC_URL: envUrl(['http', 'https']).default('http://localhost:8080'),
  /** Stripe's secret key: payments go to Stripe when it is set (see BILLING_PROVIDER). */
  STRIPE_SECRET_KEY: secret(z.string().min(1).optional()),
  /**
   * Who takes payments: `stripe` (needs STRIPE_SECRET_KEY) or `local`, an offline stand-in that marks a checkout
   * paid when its founder confirms it, without charging anyone. Unset: `stripe` when a key is set, else `local`,
   * except in production, where free payments must be asked for by name.
   */
  BILLING_PROVIDER: z.enum(['stripe', 'local']).optional(),
  /** Stripe's API address (tests point it at a fake server). */
  STRIPE_API_BASE_URL: envUrl(['http', 'https']).default('https://api.stripe.com'),
  /** Where Stripe Checkout sends the founder after paying or giving up ({CHECKOUT_SESSION_ID} is filled in). */
  BILLING_SUCCESS_URL: envUrl(['http', 'https']).default('http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}'),
  BILLING_CANCEL_URL: envUrl(['http', 'https']).default('http://localhost:3000/billing/cancel'),
  /** The packages and plans on sale (JSON array, see the README); the default has three packages and two plans. */
  BILLING_CATALOG: catalogFromEnv,
  /** A subscription past its period end by more than this many days is expired (its access ends). */
  BILLING_GRACE_PERIOD_DAYS: z.coerce.number().min(0).max(60).default(3),
  /** How often the expiry job runs. */
  BILLING_EXPIRY_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
})
  .superRefine(refuseDevelopmentSecrets)
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
