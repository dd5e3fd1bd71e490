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
  /** Stripe's secret key; unset, a local provider takes payments (confirm link on the gateway), fully offline. */
  STRIPE_SECRET_KEY: secret(z.string().min(1).optional()),
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
}).superRefine(refuseDevelopmentSecrets);

export type BillingConfig = ReturnType<typeof loadBillingConfig>;

export function loadBillingConfig(env: Env = process.env) {
  return loadConfig('billing-service', billingConfigSchema, env);
}
