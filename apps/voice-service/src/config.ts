import { z } from 'zod';
import { E164 } from '@dreamseed/contracts';
import { DEVELOPMENT_JWT_SECRET, baseConfigSchema, checkRedisCluster, refuseDevelopmentSecrets, payloadKeyConfigShape, envPort, envUrl, loadConfig, secret, type Env } from '@dreamseed/platform';

const ms = (fallback: number) => z.coerce.number().int().min(50).max(7000).default(fallback);
const assistantId = (stage: number) =>
  z.string().optional().describe(`The shared VAPI assistant of stage ${stage}. Unset: the assistant is sent whole from the code.`);

export const voiceConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8081).describe("The app's HTTP port."),
  /*
   * More jobs at once than the platform's default: `vapi-event` jobs are written in batches (group commit), and a
   * batch can only gather the jobs that are running at the same moment, so more running jobs store more events
   * per second. A batch holds one pool connection, and at most two are written at once.
   */
  WORKER_CONCURRENCY: baseConfigSchema.shape.WORKER_CONCURRENCY.unwrap()
    .default(256)
    .describe("Jobs the voice worker runs at once: its webhook events are written in batches gathered from the jobs running together."),
  JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET)).describe(
    "The gateway's JWT_SECRET: the founder API checks the tokens the gateway forwards.",
  ),
  JWT_ISSUER: z.string().default('http://localhost:8080/auth/v1').describe("The gateway's token issuer (its PUBLIC_URL + /auth/v1)."),
  PAYLOAD_ENCRYPTION_KEY: payloadKeyConfigShape.PAYLOAD_ENCRYPTION_KEY.describe(
    "The gateway's PAYLOAD_ENCRYPTION_KEY: opens the VAPI messages it sealed into vapi-event jobs.",
  ),
  PAYLOAD_ENCRYPTION_KEY_PREVIOUS: payloadKeyConfigShape.PAYLOAD_ENCRYPTION_KEY_PREVIOUS.describe(
    'The key before a rotation: still opens the jobs sealed with it until they are done.',
  ),
  GATEWAY_URL: envUrl(['http', 'https'])
    .default('http://127.0.0.1:8080')
    .describe("The gateway's internal API (founder lookup by phone number)."),
  DOMAIN_SERVICE_URL: envUrl(['http', 'https']).default('http://127.0.0.1:8083').describe("The domain service's internal API."),
  FOUNDER_LOOKUP_TIMEOUT_MS: ms(2000).describe("Deadline of a founder lookup through the gateway (a report that names no founder, register_caller)."),
  DOMAIN_CHECK_TIMEOUT_MS: ms(3000).describe('The check_domain tool answers within this, with "could not check" if the domain service has not.'),
  PUBLIC_URL: envUrl(['http', 'https'])
    .default('http://localhost:8080')
    .describe("The gateway's PUBLIC_URL: VAPI_SERVER_URL follows it unless set."),
  VAPI_SERVER_URL: envUrl(['http', 'https'])
    .optional()
    .describe(
      "Where VAPI sends the assistants' messages and tool calls: the gateway's public webhook. Unset: PUBLIC_URL + /webhooks/vapi.",
    ),
  // A VAPI "webhook" credential holds the gateway's VAPI_WEBHOOK_SECRET; see `vapiServer` for where it is written.
  VAPI_SERVER_CREDENTIAL_ID: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'A VAPI webhook credential (bearer or HMAC, keyed with VAPI_WEBHOOK_SECRET) named on every server object the ' +
        'platform hands VAPI; required with VAPI_WEBHOOK_AUTH=hmac, since VAPI signs only through a credential. ' +
        'Unset: in header mode the secret itself is sent as X-Vapi-Secret.',
    ),
  VAPI_WEBHOOK_SECRET: secret(z.string().min(16, 'must be at least 16 characters').optional()).describe(
    "The gateway's VAPI_WEBHOOK_SECRET, written on the server objects handed to VAPI; production needs it or VAPI_SERVER_CREDENTIAL_ID.",
  ),
  VAPI_WEBHOOK_AUTH: z.enum(['header', 'hmac']).default('header').describe("The gateway's VAPI_WEBHOOK_AUTH, set alike."),
  VAPI_ASSISTANT_ID_STAGE_1: assistantId(1),
  VAPI_ASSISTANT_ID_STAGE_2: assistantId(2),
  VAPI_ASSISTANT_ID_STAGE_3: assistantId(3),
  VAPI_ASSISTANT_ID_STAGE_4: assistantId(4),
  VAPI_API_KEY: secret(z.string().min(1).optional()).describe(
    "VAPI's private API key for outbound calls. Unset: a local provider records each call as simulated.",
  ),
  VAPI_BASE_URL: envUrl(['http', 'https']).default('https://api.vapi.ai').describe("VAPI's REST API."),
  VAPI_PHONE_NUMBER_ID: z.string().optional().describe('The VAPI phone number outbound calls are placed from.'),
  VAPI_PUBLIC_KEY: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "VAPI's public key, for calls from the founder's browser (POST /v1/me/calls/web); needs VAPI_SERVER_CREDENTIAL_ID, since a browser must never see the webhook secret. Unset: no web calls.",
    ),
  NEXT_CALL_DELAY_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 30)
    .default(24)
    .describe('When the founder names no time, the next call is planned this many hours after the last one.'),
  VOICE_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .default(365)
    .describe('Transcripts and webhook logs older than this are archived (compressed) and the originals deleted, daily.'),
  VOICE_TRANSFER_NUMBER: z
    .string()
    .regex(E164, 'must be E.164')
    .optional()
    .describe('Where transfer-destination-request sends a caller who asks for a person (E.164).'),
})
  .superRefine(refuseDevelopmentSecrets)
  .superRefine(checkRedisCluster)
  .superRefine(refuseUnauthenticatedVapiServer)
  .superRefine(refuseWebCallsWithSecret);

/**
 * A web call's assistant goes to the founder's browser: with the secret in a header on its server object, every
 * visitor could sign VAPI's messages. Web calls are refused at start unless the server names a VAPI credential.
 */
function refuseWebCallsWithSecret(config: { VAPI_PUBLIC_KEY?: string; VAPI_SERVER_CREDENTIAL_ID?: string }, ctx: z.RefinementCtx): void {
  if (config.VAPI_PUBLIC_KEY && !config.VAPI_SERVER_CREDENTIAL_ID) {
    ctx.addIssue({
      code: 'custom',
      path: ['VAPI_SERVER_CREDENTIAL_ID'],
      message: 'must be set with VAPI_PUBLIC_KEY: a web call\'s assistant reaches the browser, which must see a credential id, never the webhook secret',
    });
  }
}

/**
 * The gateway refuses (401) every VAPI message that does not prove itself, so server objects without a credential
 * would leave calls without their tools and events: refused at start rather than found out on a call.
 */
function refuseUnauthenticatedVapiServer(
  config: { NODE_ENV: string; VAPI_SERVER_CREDENTIAL_ID?: string; VAPI_WEBHOOK_SECRET?: string; VAPI_WEBHOOK_AUTH: 'header' | 'hmac' },
  ctx: z.RefinementCtx,
): void {
  if (config.VAPI_SERVER_CREDENTIAL_ID) return;
  if (config.VAPI_WEBHOOK_AUTH === 'hmac') {
    ctx.addIssue({
      code: 'custom',
      path: ['VAPI_SERVER_CREDENTIAL_ID'],
      message: "must be set with VAPI_WEBHOOK_AUTH=hmac: VAPI signs its messages only with a webhook credential (create one with an HMAC plan keyed with VAPI_WEBHOOK_SECRET and set its id here)",
    });
  } else if (config.NODE_ENV === 'production' && !config.VAPI_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['VAPI_WEBHOOK_SECRET'],
      message: "must be set in production, or VAPI_SERVER_CREDENTIAL_ID: without either, VAPI's messages carry no credential and the gateway refuses them (401)",
    });
  }
}

export type VoiceConfig = ReturnType<typeof loadVoiceConfig>;

export function loadVoiceConfig(env: Env = process.env) {
  return withDerivedDefaults(loadConfig('voice-service', voiceConfigSchema, env));
}

/** Defaults that follow another key: VAPI_SERVER_URL is the gateway's webhook at PUBLIC_URL unless set. */
function withDerivedDefaults(config: z.output<typeof voiceConfigSchema>) {
  return Object.freeze({ ...config, VAPI_SERVER_URL: config.VAPI_SERVER_URL ?? `${config.PUBLIC_URL.replace(/\/+$/, '')}/webhooks/vapi` });
}
