import { z } from 'zod';
import { baseConfigSchema, envPort, envUrl, loadConfig, secret, type Env } from '@dreamseed/platform';

const serviceUrl = (port: number) => envUrl(['http', 'https']).default(`http://127.0.0.1:${port}`);

export const gatewayConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8080),
  /** The address founders' apps, VAPI and Stripe use to reach the gateway (links in mails, confirm pages). */
  PUBLIC_URL: envUrl(['http', 'https']).default('http://localhost:8080'),
  /** The queue dashboard at /admin/queues; it stays off until a password is set. */
  ADMIN_USER: z.string().min(1).default('admin'),
  ADMIN_PASSWORD: secret(z.string().min(12, 'must be at least 12 characters').optional()),
  /** The owners' internal read APIs. */
  VOICE_SERVICE_URL: serviceUrl(8081),
  ANALYSIS_SERVICE_URL: serviceUrl(8082),
  DOMAIN_SERVICE_URL: serviceUrl(8083),
  BILLING_SERVICE_URL: serviceUrl(8084),
});

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(env: Env = process.env) {
  return loadConfig('gateway', gatewayConfigSchema, env);
}
