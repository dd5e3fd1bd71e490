import { z } from 'zod';
import { E164 } from '@dreamseed/contracts';
import {
  DEVELOPMENT_JWT_SECRET,
  baseConfigSchema,
  checkRedisCluster,
  envBoolean,
  envPort,
  envUrl,
  loadConfig,
  payloadKeyConfigShape,
  refuseDevelopmentSecrets,
  secret,
  type Env,
} from '@dreamseed/platform';
import { serviceRoleKeyProblem } from './auth/tokens';

const serviceUrl = (port: number) => envUrl(['http', 'https']).default(`http://127.0.0.1:${port}`);
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export { DEVELOPMENT_JWT_SECRET };

export const gatewayConfigSchema = baseConfigSchema
  .extend({
  PORT: envPort.default(8080).describe("The app's HTTP port."),
  PUBLIC_URL: envUrl(['http', 'https'])
    .default('http://localhost:8080')
    .describe("The address founders' apps, VAPI and Stripe use to reach the gateway (links in mails, confirm pages)."),
  ADMIN_USER: z.string().min(1).default('admin').describe('User of the Basic credentials for machines on the queue dashboard (/admin/queues) and the failed-jobs API.'),
  ADMIN_PASSWORD: secret(z.string().min(12, 'must be at least 12 characters').optional()).describe(
    'Password of the Basic credentials for machines on the queue dashboard and the failed-jobs API, 12+ characters. Unset: only signed-in operators reach them; npm start makes one up.',
  ),
  RATE_LIMIT_ADMIN_FAILURES_PER_15_MIN: z.coerce
    .number()
    .int()
    .positive()
    .default(10)
    .describe('Wrong admin credentials per client address in 15 minutes, then 429 on the dashboard and admin API.'),
  VOICE_SERVICE_URL: serviceUrl(8081).describe("The voice service's internal API."),
  ANALYSIS_SERVICE_URL: serviceUrl(8082).describe("The analysis service's internal API."),
  DOMAIN_SERVICE_URL: serviceUrl(8083).describe("The domain service's internal API."),
  BILLING_SERVICE_URL: serviceUrl(8084).describe("The billing service's internal API."),
  CORS_ORIGINS: z.string().default('*').describe('Browser origins allowed to call the API and auth: comma-separated, or *.'),
  WEB_APP_DIR: z
    .string()
    .default('dist/apps/web')
    .describe(
      "The founders' web app as built by `npx nx build web`, served at / (relative paths from the working " +
        'directory). No index.html there: the gateway serves the APIs only.',
    ),

  JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET)).describe(
    'HS256 key of the access tokens, 32+ characters: `openssl rand -base64 48`. Unset: a development value, refused in production.',
  ),
  JWT_EXPIRY_SECONDS: seconds(3600)
    .pipe(z.number().min(300, 'must be at least 300 (clients refresh 90 s early)'))
    .describe('Lifetime of an access token, 300 at least.'),
  JWT_ISSUER: z.string().optional().describe("The tokens' iss claim. Unset: PUBLIC_URL + /auth/v1, as Supabase's."),
  SERVICE_ROLE_KEY: secret(z.string().max(4096).optional()).describe(
    "Supabase's service-role key: a JWT with role service_role, signed (HS256) by JWT_SECRET. Turns on the auth admin " +
      'API (/auth/v1/admin/*, /auth/v1/invite) for bearers of a service_role token: every account, operators ' +
      'included. Server-side only, never in a browser. Unset: the admin API answers 401/403. npm start signs one.',
  ),
  PAYLOAD_ENCRYPTION_KEY: payloadKeyConfigShape.PAYLOAD_ENCRYPTION_KEY.describe(
    'Seals the VAPI messages in voice jobs and the assessment answers in submit-assessment jobs, so that Redis, ' +
      'the dashboard and the inbox hold ciphertext. 32+ characters: `openssl rand -base64 48`. Unset: a ' +
      'development value, refused in production.',
  ),
  PAYLOAD_ENCRYPTION_KEY_PREVIOUS: payloadKeyConfigShape.PAYLOAD_ENCRYPTION_KEY_PREVIOUS.describe(
    'The key before a rotation: still opens the jobs sealed with it until they are done.',
  ),
  AUTH_AUTOCONFIRM: envBoolean
    .default(false)
    .describe('Confirm sign-ups at once, without a mail round trip (npm start turns it on unless set).'),
  AUTH_DISABLE_SIGNUP: envBoolean.default(false).describe('Refuse new sign-ups.'),
  AUTH_PASSWORD_MIN_LENGTH: z.coerce
    .number()
    .int()
    .min(6)
    .max(72)
    .default(8)
    .describe('Shorter passwords get 422 weak_password.'),
  AUTH_REFRESH_REUSE_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10)
    .describe('A spent refresh token presented again within this many seconds is a concurrent retry, not a theft.'),
  AUTH_OTP_EXPIRY_SECONDS: seconds(3600)
    .pipe(z.number().min(60, 'must be at least 60'))
    .describe("How long a mailed code or link stays valid (GoTrue's default: an hour)."),
  AUTH_MAX_WRONG_CODES: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe("Wrong typed codes per address before its outstanding codes are void and a new one must be asked for."),
  // 2 KB keeps a token near 4 KB, inside the 8 KB header buffers of common proxies and cookie-chunked sessions.
  AUTH_USER_METADATA_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .max(4096)
    .default(2048)
    .describe('Largest user_metadata a user may store, in bytes of JSON: it rides in every access token.'),
  AUTH_SITE_URL: envUrl(['http', 'https'])
    .optional()
    .describe(
      "Where mail links send the founder. A redirect_to must have its scheme, host and port (or an " +
        'AUTH_REDIRECT_ALLOW_LIST entry\'s) and a path under it; anything else lands here. Unset: PUBLIC_URL, ' +
        'where the gateway serves the web app.',
    ),
  AUTH_REDIRECT_ALLOW_LIST: z
    .string()
    .default('')
    .describe('More allowed redirect_to targets, comma-separated URLs; globs as GoTrue\'s (`https://*.example.com/**`).'),
  RATE_LIMIT_SIGN_IN_PER_5_MIN: z.coerce.number().int().positive().default(30).describe('Sign-ups and sign-ins per client IP.'),
  RATE_LIMIT_TOKEN_REFRESH_PER_5_MIN: z.coerce.number().int().positive().default(150).describe('Token refreshes per client IP.'),
  RATE_LIMIT_VERIFY_PER_5_MIN: z.coerce.number().int().positive().default(30).describe('One-time-token checks per client IP.'),
  RATE_LIMIT_EMAIL_PER_HOUR: z.coerce
    .number()
    .int()
    .positive()
    .default(4)
    .describe('Mails per address per hour (confirmation, recovery, email change).'),
  RATE_LIMIT_PHONE_CHANGE_PER_HOUR: z.coerce
    .number()
    .int()
    .positive()
    .default(5)
    .describe('Phone-number changes per hour, per user and per client IP ("number taken" is an answer too).'),
  RATE_LIMIT_SMS_PER_HOUR: z.coerce.number().int().positive().default(3).describe('Texted codes per number per hour.'),
  // A confirmed number receives the founder's calls and context.
  AUTH_PHONE_AUTOCONFIRM: envBoolean
    .default(false)
    .describe('Confirm phone numbers without a texted code, for local runs only (npm start turns it on); refused in production.'),
  SAMPLE_CALLS: envBoolean
    .default(false)
    .describe(
      'Let founders play a sample consultation call (POST /v1/me/calls/sample) when there is no VAPI account, for local runs only (npm start turns it on); refused in production.',
    ),
  VAPI_WEB_CALLS: envBoolean
    .default(false)
    .describe("Set when the voice service has VAPI_PUBLIC_KEY: the app's pages may then reach VAPI and Daily (its Content-Security-Policy) for calls from the browser."),
  SAMPLE_CALL_PACE_MS: z.coerce.number().int().min(0).max(10_000).default(1500).describe('The pause between a sample call\'s deliveries, so that its states can be watched.'),
  AUTH_SMS_OTP_EXPIRY_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(3600)
    .default(600)
    .describe('How long a texted phone code stays valid: short, since six digits are few.'),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-zA-Z]{32}$/, 'must be a Twilio account SID (AC...)')
    .optional()
    .describe('Twilio account for phone codes. Unset: the codes go to the local outbox (auth.mail_outbox).'),
  TWILIO_AUTH_TOKEN: secret(z.string().min(1).optional()).describe('Twilio auth token, required with TWILIO_ACCOUNT_SID.'),
  TWILIO_FROM: z
    .string()
    .regex(E164, 'must be E.164')
    .optional()
    .describe('The sender of phone codes: a Twilio number (E.164), or TWILIO_MESSAGING_SERVICE_SID instead.'),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-zA-Z]{32}$/, 'must be a messaging service SID (MG...)')
    .optional()
    .describe('A Twilio messaging service (MG...) to send phone codes from, instead of TWILIO_FROM.'),
  TWILIO_API_URL: envUrl(['http', 'https']).default('https://api.twilio.com').describe("Twilio's API address (tests use a stand-in)."),
  AUTH_MAX_FAILED_SIGN_INS: z.coerce
    .number()
    .int()
    .positive()
    .default(5)
    .describe('Wrong passwords in a row, per account, before sign-in for it backs off.'),
  SMTP_URL: secret(envUrl(['smtp', 'smtps']).optional()).describe(
    'SMTP server, smtp://user:password@host:587. Unset: mails go to the local outbox (auth.mail_outbox).',
  ),
  MAIL_FROM: z.string().default('DreamSeed <no-reply@dreamseed.local>').describe('Sender of the auth mails.'),
  VAPI_WEBHOOK_SECRET: secret(z.string().min(16, 'must be at least 16 characters').optional()).describe(
    'Shared with VAPI: its X-Vapi-Secret or Bearer token, or the HMAC key; set alike in the voice service. ' +
      'Unset: every VAPI webhook gets 401 (npm start makes one up).',
  ),
  VAPI_WEBHOOK_AUTH: z
    .enum(['header', 'hmac'])
    .default('header')
    .describe(
      'How VAPI webhooks prove themselves: header (X-Vapi-Secret or Authorization: Bearer) or hmac (a signature ' +
        'over {timestamp}.{body}); set alike in the voice service.',
    ),
  VAPI_HMAC_ALGORITHM: z.enum(['sha256', 'sha512', 'sha1']).default('sha256').describe('The HMAC algorithm of signed VAPI webhooks.'),
  VAPI_HMAC_SIGNATURE_HEADER: z.string().default('x-signature').describe('The header carrying the signature (hex).'),
  VAPI_HMAC_TIMESTAMP_HEADER: z.string().default('x-timestamp').describe('The header carrying the signed timestamp.'),
  VAPI_HMAC_TOLERANCE_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(300)
    .describe('Signed VAPI requests older or newer than this are refused (replays).'),
  VAPI_SYNC_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(7000)
    .default(5000)
    .describe("Deadline for the voice service's answer to assistant-request and tool calls; then a safe fallback answer."),
  VAPI_FALLBACK_ASSISTANT_ID: z
    .string()
    .optional()
    .describe('The assistant that answers assistant-request when the voice service cannot.'),
  VAPI_FALLBACK_TRANSFER_NUMBER: z
    .string()
    .regex(E164, 'must be E.164')
    .optional()
    .describe('The number (E.164) transfer-destination-request falls back on when the voice service cannot answer.'),
  STRIPE_WEBHOOK_SECRET: secret(z.string().min(1).optional()).describe(
    "The Stripe endpoint's signing secret (whsec_...). Unset: every Stripe webhook gets 400.",
  ),
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(300)
    .describe("Signed Stripe events older or newer than this are refused (replays); stripe-node's default."),
  WEBHOOK_RELAY_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(5000)
    .describe('How often webhook events kept in Postgres while Redis was down are moved to their queue.'),
  MAIL_RELAY_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(30000)
    .describe('How often mails left in the outbox while Redis was down are handed to the queue again.'),
  EVENTS_HEARTBEAT_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(60_000)
    .default(20_000)
    .describe(
      "How often each open event stream (GET /v1/me/events) gets a `: ping` comment, and its session is checked: " +
        'a stream whose session has ended closes then. Below the idle timeout of every proxy on the way.',
    ),
  EVENTS_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(4096)
    .default(262_144)
    .describe('Bytes of events a client may leave unread before its stream is dropped (it reconnects and resumes by id).'),
})
  .superRefine(refuseDevelopmentSecrets)
  .superRefine(checkRedisCluster)
  .superRefine(checkServiceRoleKey)
  .superRefine(refuseUnprovenPhones)
  .superRefine(refuseSampleCalls)
  .superRefine(requireCompleteTwilio);

/** A service-role key that could never pass the admin API's check is a mistake to report at start, not a silent 403. */
function checkServiceRoleKey(config: { SERVICE_ROLE_KEY?: string; JWT_SECRET: string }, ctx: z.RefinementCtx) {
  const problem = config.SERVICE_ROLE_KEY === undefined ? undefined : serviceRoleKeyProblem(config.SERVICE_ROLE_KEY, config.JWT_SECRET);
  if (problem) ctx.addIssue({ code: 'custom', path: ['SERVICE_ROLE_KEY'], message: problem });
}

function refuseUnprovenPhones(config: { NODE_ENV: string; AUTH_PHONE_AUTOCONFIRM: boolean }, ctx: z.RefinementCtx) {
  if (config.NODE_ENV === 'production' && config.AUTH_PHONE_AUTOCONFIRM) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_PHONE_AUTOCONFIRM'],
      message: 'must be false in production: an unconfirmed number would receive the founder\'s calls and context',
    });
  }
}

function refuseSampleCalls(config: { NODE_ENV: string; SAMPLE_CALLS: boolean }, ctx: z.RefinementCtx) {
  if (config.NODE_ENV === 'production' && config.SAMPLE_CALLS) {
    ctx.addIssue({ code: 'custom', path: ['SAMPLE_CALLS'], message: 'must be false in production: a sample call would enter a made-up consultation into a real founder\'s journey' });
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
