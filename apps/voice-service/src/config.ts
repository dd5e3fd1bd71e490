import { z } from 'zod';
import { E164 } from '@dreamseed/contracts';
import { DEVELOPMENT_JWT_SECRET, baseConfigSchema, refuseDevelopmentSecrets, payloadKeyConfigShape, envPort, envUrl, loadConfig, secret, type Env } from '@dreamseed/platform';

const ms = (fallback: number) => z.coerce.number().int().min(50).max(7000).default(fallback);

export const voiceConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8081),
  /**
   * More jobs at once than the platform's default: `vapi-event` jobs are written in batches (group commit),
   * and a batch can only gather the jobs that are running at the same moment (on the 2-core bench machine, 128
   * stored about 1.5 times as many events per second as 64, and 256 about 1.2 times as many as 128). A batch holds one pool connection, and at most
   * two are written at once.
   */
  WORKER_CONCURRENCY: baseConfigSchema.shape.WORKER_CONCURRENCY.unwrap().default(256),
  /** The gateway's token key and issuer: the founder read API checks the tokens it forwards. */
  JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET)),
  JWT_ISSUER: z.string().default('http://localhost:8080/auth/v1'),
  /** Opens the VAPI messages the gateway sealed into `vapi-event` jobs. */
  ...payloadKeyConfigShape,
  /** The gateway's internal API (founder lookup by phone number). */
  GATEWAY_URL: envUrl(['http', 'https']).default('http://127.0.0.1:8080'),
  /** The domain service's internal API (the `check_domain` tool). */
  DOMAIN_SERVICE_URL: envUrl(['http', 'https']).default('http://127.0.0.1:8083'),
  FOUNDER_LOOKUP_TIMEOUT_MS: ms(2000),
  /** The `check_domain` tool answers within this, with "could not check" if the domain service has not. */
  DOMAIN_CHECK_TIMEOUT_MS: ms(3000),
  /** The gateway's public address (the gateway's own PUBLIC_URL): VAPI_SERVER_URL follows it unless set. */
  PUBLIC_URL: envUrl(['http', 'https']).default('http://localhost:8080'),
  /** Where VAPI sends the assistants' messages and tool calls: the gateway's public webhook. Unset: PUBLIC_URL/webhooks/vapi. */
  VAPI_SERVER_URL: envUrl(['http', 'https']).optional(),
  /**
   * How VAPI proves its messages to that URL come from it, written on every server object the platform hands VAPI
   * (see `vapiServer`). A VAPI "webhook" credential the operator creates (bearer or HMAC, holding the gateway's
   * VAPI_WEBHOOK_SECRET) is named by its id; it is required with VAPI_WEBHOOK_AUTH=hmac, since VAPI signs only
   * through a credential. Without one, in header mode the secret itself travels as an `X-Vapi-Secret` header.
   */
  VAPI_SERVER_CREDENTIAL_ID: z.string().min(1).max(200).optional(),
  /** The gateway's VAPI_WEBHOOK_SECRET and VAPI_WEBHOOK_AUTH, set alike in both apps. */
  VAPI_WEBHOOK_SECRET: secret(z.string().min(16, 'must be at least 16 characters').optional()),
  VAPI_WEBHOOK_AUTH: z.enum(['header', 'hmac']).default('header'),
  /** Shared assistants kept in VAPI, per stage; unset, the assistant is sent whole from the code's definition. */
  VAPI_ASSISTANT_ID_STAGE_1: z.string().optional(),
  VAPI_ASSISTANT_ID_STAGE_2: z.string().optional(),
  VAPI_ASSISTANT_ID_STAGE_3: z.string().optional(),
  VAPI_ASSISTANT_ID_STAGE_4: z.string().optional(),
  /** VAPI's REST API for outbound calls; without a key, a local provider records each call as simulated. */
  VAPI_API_KEY: secret(z.string().min(1).optional()),
  VAPI_BASE_URL: envUrl(['http', 'https']).default('https://api.vapi.ai'),
  /** The VAPI phone number outbound calls are placed from. */
  VAPI_PHONE_NUMBER_ID: z.string().optional(),
  /** When the founder names no time, the next call is planned this many hours after the last one. */
  NEXT_CALL_DELAY_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  /** Transcripts and webhook logs older than this are archived (compressed) and the originals deleted, daily. */
  VOICE_RETENTION_DAYS: z.coerce.number().int().min(1).default(365),
  /** Where `transfer-destination-request` sends a caller who asks for a person. */
  VOICE_TRANSFER_NUMBER: z.string().regex(E164, 'must be E.164').optional(),
})
  .superRefine(refuseDevelopmentSecrets)
  .superRefine(refuseUnauthenticatedVapiServer);

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
