import { z } from 'zod';
import { E164 } from '@dreamseed/contracts';
import {
  DEVELOPMENT_JWT_SECRET,
  baseConfigSchema,
  envBoolean,
  envPort,
  envUrl,
  loadConfig,
  payloadKeyConfigShape,
  refuseDevelopmentSecrets,
  secret,
  type Env,
} from '@dreamseed/platform';

const serviceUrl = (port: number) => envUrl(['http', 'https']).default(`http://127.0.0.1:${port}`);
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export { DEVELOPMENT_JWT_SECRET };

export const gatewayConfigSchema = baseConfigSchema
  .extend({
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
  /** Browser origins allowed to call the API and auth (comma-separated, or *). */
  CORS_ORIGINS: z.string().default('*'),

  /** HS256 secret of the access tokens, shared with nothing else; 32 characters at least. */
  JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET)),
  JWT_EXPIRY_SECONDS: seconds(3600).pipe(z.number().min(300, 'must be at least 300 (clients refresh 90 s early)')),
  /** The `iss` claim; defaults to PUBLIC_URL + /auth/v1, as Supabase's. */
  JWT_ISSUER: z.string().optional(),
  /** Seals the VAPI messages in `voice` job payloads (the voice service opens them with the same key). */
  ...payloadKeyConfigShape,
  /** Sign-ups are confirmed at once (no mail round trip), as in Supabase's local setup. */
  AUTH_AUTOCONFIRM: envBoolean.default(false),
  AUTH_DISABLE_SIGNUP: envBoolean.default(false),
  AUTH_PASSWORD_MIN_LENGTH: z.coerce.number().int().min(6).max(72).default(8),
  /** A spent refresh token presented again within this many seconds is a concurrent retry, not a theft. */
  AUTH_REFRESH_REUSE_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(10),
  AUTH_OTP_EXPIRY_SECONDS: seconds(86400),
  /** Where mail links send the founder; `redirect_to` must start with it or one of AUTH_REDIRECT_ALLOW_LIST. */
  AUTH_SITE_URL: envUrl(['http', 'https']).default('http://localhost:3000'),
  AUTH_REDIRECT_ALLOW_LIST: z.string().default(''),
  /** Abuse limits, per client IP: sign-ups and sign-ins, token refreshes, one-time-token checks. */
  RATE_LIMIT_SIGN_IN_PER_5_MIN: z.coerce.number().int().positive().default(30),
  RATE_LIMIT_TOKEN_REFRESH_PER_5_MIN: z.coerce.number().int().positive().default(150),
  RATE_LIMIT_VERIFY_PER_5_MIN: z.coerce.number().int().positive().default(30),
  /** Mails per address per hour (confirmation, recovery, email change). */
  RATE_LIMIT_EMAIL_PER_HOUR: z.coerce.number().int().positive().default(4),
  /** Wrong passwords in a row, per account, before sign-in for it backs off. */
  AUTH_MAX_FAILED_SIGN_INS: z.coerce.number().int().positive().default(5),
  /** SMTP server (smtp://user:pass@host:587); without it mails go to the local outbox (auth.mail_outbox). */
  SMTP_URL: secret(envUrl(['smtp', 'smtps']).optional()),
  MAIL_FROM: z.string().default('DreamSeed <no-reply@dreamseed.local>'),
  /**
   * VAPI webhooks: the shared secret (X-Vapi-Secret, Bearer token, or HMAC key). Unset, every call gets 401. The
   * voice service gets the same value (and VAPI_WEBHOOK_AUTH): it writes the proof on every server object it hands
   * VAPI (VAPI_SERVER_CREDENTIAL_ID, or in header mode the secret as X-Vapi-Secret).
   */
  VAPI_WEBHOOK_SECRET: secret(z.string().min(16, 'must be at least 16 characters').optional()),
  /** `header`: X-Vapi-Secret or Authorization: Bearer; `hmac`: a signature over `{timestamp}.{body}`. */
  VAPI_WEBHOOK_AUTH: z.enum(['header', 'hmac']).default('header'),
  VAPI_HMAC_ALGORITHM: z.enum(['sha256', 'sha512', 'sha1']).default('sha256'),
  VAPI_HMAC_SIGNATURE_HEADER: z.string().default('x-signature'),
  VAPI_HMAC_TIMESTAMP_HEADER: z.string().default('x-timestamp'),
  /** Signed requests older or newer than this are refused (replays). */
  VAPI_HMAC_TOLERANCE_SECONDS: z.coerce.number().int().positive().default(300),
  /** Deadline for the voice service's answer to assistant-request, tool-calls and the like. */
  VAPI_SYNC_TIMEOUT_MS: z.coerce.number().int().min(100).max(7000).default(5000),
  /** Answers when the voice service cannot: an assistant to fall back on, and a number to transfer to. */
  VAPI_FALLBACK_ASSISTANT_ID: z.string().optional(),
  VAPI_FALLBACK_TRANSFER_NUMBER: z.string().regex(E164, 'must be E.164').optional(),
  /** Stripe webhooks: the endpoint's signing secret (whsec_...). Unset, every Stripe webhook gets 400. */
  STRIPE_WEBHOOK_SECRET: secret(z.string().min(1).optional()),
  /** Signed Stripe events older or newer than this are refused (replays); stripe-node's default. */
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().positive().default(300),
  /** How often webhook events kept in Postgres while Redis was down are moved to their queue. */
  WEBHOOK_RELAY_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** How often mails left in the outbox (Redis was down when they were written) are handed to the queue again. */
  MAIL_RELAY_INTERVAL_MS: z.coerce.number().int().min(100).default(30000),
})
  .superRefine(refuseDevelopmentSecrets);

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(env: Env = process.env) {
  return loadConfig('gateway', gatewayConfigSchema, env);
}
