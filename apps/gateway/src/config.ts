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
  /** Wrong admin credentials per client address in 15 minutes before the dashboard and admin API answer 429. */
  RATE_LIMIT_ADMIN_FAILURES_PER_15_MIN: z.coerce.number().int().positive().default(10),
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
  /** How long a mailed code and link stay valid (GoTrue's default: an hour). */
  AUTH_OTP_EXPIRY_SECONDS: seconds(3600).pipe(z.number().min(60, 'must be at least 60')),
  /** Wrong typed codes for one address before its outstanding codes are void and a new one must be asked for. */
  AUTH_MAX_WRONG_CODES: z.coerce.number().int().min(1).max(20).default(5),
  /**
   * Largest `user_metadata` (bytes of JSON) a user may store. It rides in every access token: 2 KB keeps a token
   * near 4 KB, inside the 8 KB header buffers of common proxies and cookie-chunked browser sessions.
   */
  AUTH_USER_METADATA_MAX_BYTES: z.coerce.number().int().min(256).max(4096).default(2048),
  /**
   * Where mail links send the founder. A `redirect_to` must have its scheme, host and port (or those of an
   * AUTH_REDIRECT_ALLOW_LIST entry) and a path under it; anything else lands here.
   */
  AUTH_SITE_URL: envUrl(['http', 'https']).default('http://localhost:3000'),
  /** More allowed targets, comma-separated URLs; globs as in GoTrue (`https://*.example.com/**`, `*` within a label). */
  AUTH_REDIRECT_ALLOW_LIST: z.string().default(''),
  /** Abuse limits, per client IP: sign-ups and sign-ins, token refreshes, one-time-token checks. */
  RATE_LIMIT_SIGN_IN_PER_5_MIN: z.coerce.number().int().positive().default(30),
  RATE_LIMIT_TOKEN_REFRESH_PER_5_MIN: z.coerce.number().int().positive().default(150),
  RATE_LIMIT_VERIFY_PER_5_MIN: z.coerce.number().int().positive().default(30),
  /** Mails per address per hour (confirmation, recovery, email change). */
  RATE_LIMIT_EMAIL_PER_HOUR: z.coerce.number().int().positive().default(4),
  /** Phone-number changes a user may ask for per hour, per user and per client IP ("number taken" is an answer too). */
  RATE_LIMIT_PHONE_CHANGE_PER_HOUR: z.coerce.number().int().positive().default(5),
  /** Text messages (phone codes) per number per hour. */
  RATE_LIMIT_SMS_PER_HOUR: z.coerce.number().int().positive().default(3),
  /**
   * Phone numbers count as confirmed without a code, for local runs only: a confirmed number receives the founder's
   * calls and context, so production refuses to start with it.
   */
  AUTH_PHONE_AUTOCONFIRM: envBoolean.default(false),
  /** How long a texted phone code stays valid: short, since six digits are few. */
  AUTH_SMS_OTP_EXPIRY_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  /** Twilio, for phone codes; without an account SID the codes go to the local outbox (auth.mail_outbox). */
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-zA-Z]{32}$/, 'must be a Twilio account SID (AC...)').optional(),
  TWILIO_AUTH_TOKEN: secret(z.string().min(1).optional()),
  /** The sender: a Twilio number (E.164), or a messaging service SID (MG...) instead. */
  TWILIO_FROM: z.string().regex(E164, 'must be E.164').optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-zA-Z]{32}$/, 'must be a messaging service SID (MG...)').optional(),
  TWILIO_API_URL: envUrl(['http', 'https']).default('https://api.twilio.com'),
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
  .superRefine(refuseDevelopmentSecrets)
  .superRefine(refuseUnprovenPhones)
  .superRefine(requireCompleteTwilio);

function refuseUnprovenPhones(config: { NODE_ENV: string; AUTH_PHONE_AUTOCONFIRM: boolean }, ctx: z.RefinementCtx) {
  if (config.NODE_ENV === 'production' && config.AUTH_PHONE_AUTOCONFIRM) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_PHONE_AUTOCONFIRM'],
      message: 'must be false in production: an unconfirmed number would receive the founder\'s calls and context',
    });
  }
}

function requireCompleteTwilio(
  config: { TWILIO_ACCOUNT_SID?: string; TWILIO_AUTH_TOKEN?: string; TWILIO_FROM?: string; TWILIO_MESSAGING_SERVICE_SID?: string },
  ctx: z.RefinementCtx,
) {
  if (!config.TWILIO_ACCOUNT_SID) return;
  if (!config.TWILIO_AUTH_TOKEN) ctx.addIssue({ code: 'custom', path: ['TWILIO_AUTH_TOKEN'], message: 'is required with TWILIO_ACCOUNT_SID' });
  if (!config.TWILIO_FROM && !config.TWILIO_MESSAGING_SERVICE_SID) {
    ctx.addIssue({ code: 'custom', path: ['TWILIO_FROM'], message: 'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required with TWILIO_ACCOUNT_SID' });
  }
}

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(env: Env = process.env) {
  return loadConfig('gateway', gatewayConfigSchema, env);
}
