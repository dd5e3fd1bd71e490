import { baseConfigSchema, envPort, loadConfig, type Env } from '@dreamseed/platform';

export const billingConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8084),
});

export type BillingConfig = ReturnType<typeof loadBillingConfig>;

export function loadBillingConfig(env: Env = process.env) {
  return loadConfig('billing-service', billingConfigSchema, env);
}
