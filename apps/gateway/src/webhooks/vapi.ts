import { createHmac, hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  AppError,
  PayloadSealer,
  callInternal,
  fitForPostgres,
  headerValue,
  internalHeaders,
  jsonBodyOf,
  sameSecret,
  secretMatcher,
  summarizeIssues,
  type RawRequest,
  type RawResponse,
  type RawRoute,
} from '@dreamseed/platform';
import { E164, INTERNAL_PATHS, VAPI_ID_MAX, VAPI_UNSTORABLE_TEXT, VAPI_STANDING_REPLIES, hasStandingReply } from '@dreamseed/contracts';
import type { GatewayConfig } from '../config';
import type { WebhookInbox } from './inbox';

export const VAPI_WEBHOOK_PATH = '/webhooks/vapi';

/**
 * The messages VAPI waits on for an answer (those with a reply schema in VAPI's OpenAPI document, and the legacy
 * `function-call`); every other type is informational.
 */
const SYNC_TYPES = new Set([
  'assistant-request',
  'tool-calls',
  'function-call',
  'transfer-destination-request',
  'handoff-destination-request',
  'knowledge-base-request',
  'campaign.predial',
  'voice-request',
  'call.endpointing.request',
]);

/**
 * VAPI's schema requires no `type` on a tool-calls message (only its lists): one without a type that carries a
 * tool call list is taken as tool-calls, with the type written in, rather than refused.
 */
function withInferredType(parsed: unknown): unknown {
  const message = (parsed as { message?: unknown } | null)?.message as { type?: unknown; toolCallList?: unknown } | null | undefined;
  if (!message || typeof message !== 'object' || message.type != null || !Array.isArray(message.toolCallList)) return parsed;
  return { ...(parsed as object), message: { ...message, type: 'tool-calls' } };
}

const storableText = z.string().refine((value) => !VAPI_UNSTORABLE_TEXT.test(value), 'must not contain a NUL character or a lone surrogate');

/** The envelope: only `message.type` is certain. Unknown fields and unknown types are kept as they come. */
const envelope = z.looseObject({
  message: z.looseObject({
    type: storableText.min(1).max(100),
    timestamp: z.union([z.number(), z.string()]).optional(),
    // VAPI's schema bounds no call id: a long one is named by its hash downstream, never refused here.
    call: z.looseObject({ id: storableText.optional() }).nullish(),
  }),
});
type VapiMessage = z.infer<typeof envelope>['message'];

const unauthorized = (message: string) => new AppError(401, 'unauthorized', message);

/** Checks a delivery's credentials as configured: the shared secret in a header, or an HMAC of the body. */
function authenticator(config: GatewayConfig): (headers: IncomingHttpHeaders, raw: Buffer) => void {
  const secret = config.VAPI_WEBHOOK_SECRET;
  if (!secret) {
    return () => {
      throw unauthorized('VAPI webhooks are not configured (VAPI_WEBHOOK_SECRET).');
    };
  }
  if (config.VAPI_WEBHOOK_AUTH === 'header') {
    const matches = secretMatcher(secret);
    return (headers) => {
      const header = headerValue(headers, 'x-vapi-secret');
      const bearer = /^Bearer\s+(.+)$/i.exec(headerValue(headers, 'authorization') ?? '')?.[1];
      const given = header ?? bearer;
      if (!given || !matches(given)) throw unauthorized('Missing or wrong webhook secret.');
    };
  }
  return (headers, raw) => verifySignature(headers, raw, config, secret);
}

function verifySignature(headers: IncomingHttpHeaders, raw: Buffer, config: GatewayConfig, secret: string): void {
  const signature = headerValue(headers, config.VAPI_HMAC_SIGNATURE_HEADER.toLowerCase()) ?? '';
  const timestamp = headerValue(headers, config.VAPI_HMAC_TIMESTAMP_HEADER.toLowerCase()) ?? '';
  const seconds = Number(timestamp.length > 11 ? Number(timestamp) / 1000 : timestamp);
  if (!signature || !Number.isFinite(seconds) || Math.abs(Date.now() / 1000 - seconds) > config.VAPI_HMAC_TOLERANCE_SECONDS) {
    throw unauthorized('Missing, stale or malformed webhook signature.');
  }
  const expected = createHmac(config.VAPI_HMAC_ALGORITHM, secret)
    .update(`${timestamp}.`)
    .update(raw)
    .digest('hex');
  if (!sameSecret(signature.replace(/^sha(1|256|512)=/, ''), expected)) throw unauthorized('Wrong webhook signature.');
}

/**
 * A key naming the event, stable across duplicate deliveries (VAPI sends no event id): per type, the parts
 * that make it one event; for other types the whole body.
 */
export function vapiEventKey(message: VapiMessage, raw: Buffer): string {
  const callId = message.call?.id ?? 'no-call';
  const m = message as Record<string, unknown>;
  const parts: unknown[] =
    message.type === 'end-of-call-report'
      ? [callId]
      : message.type === 'status-update'
        ? [callId, m.status]
        : message.type === 'transcript' || message.type.startsWith('transcript[')
          ? [callId, message.timestamp, m.role, m.transcriptType]
          : [callId, message.timestamp, hash('sha256', raw, 'hex')];
  const key = `${message.type}|${parts.map(String).join('|')}`;
  // Keys are at most VAPI_ID_MAX long (the job's contract and the log's index) and storable in Postgres text: a
  // longer one (a long call id or type, which VAPI's schema does not bound) or one holding a NUL or a lone
  // surrogate is named by its hash, still the same for every copy.
  const storable = key.length <= VAPI_ID_MAX && fitForPostgres(key) === key;
  return storable ? key : `${Array.from(fitForPostgres(message.type)).slice(0, 60).join('')}|sha256:${hash('sha256', key, 'hex')}`;
}

/**
 * What VAPI gets when the voice service cannot answer in time: always a 200 with what VAPI's reply schema for
 * the type requires.
 */
function fallbackAnswer(message: VapiMessage, config: GatewayConfig): unknown {
  switch (message.type) {
    case 'assistant-request':
      return config.VAPI_FALLBACK_ASSISTANT_ID
        ? { assistantId: config.VAPI_FALLBACK_ASSISTANT_ID }
        : { error: "Sorry, we can't take your call right now. Please try again in a few minutes." };
    case 'tool-calls': {
      const list = (message as { toolCallList?: { id?: unknown; function?: { name?: unknown }; name?: unknown }[] }).toolCallList ?? [];
      return {
        results: list
          .filter((call) => typeof call.id === 'string')
          .map((call) => ({
            toolCallId: call.id,
            name: String(call.function?.name ?? call.name ?? 'tool'),
            error: 'This could not be completed right now. Please carry on without it.',
          })),
      };
    }
    case 'function-call':
      return { result: 'This could not be completed right now. Please carry on without it.' };
    case 'transfer-destination-request':
      return config.VAPI_FALLBACK_TRANSFER_NUMBER
        ? { destination: { type: 'number', number: config.VAPI_FALLBACK_TRANSFER_NUMBER } }
        : { error: 'No one is available to take the call right now.' };
    default:
      return hasStandingReply(message.type) ? VAPI_STANDING_REPLIES[message.type] : {};
  }
}

/**
 * `POST /webhooks/vapi`: verify, then answer synchronous messages through the voice service or enqueue. Served
 * by node:http in front of Express (a raw route): it is the platform's busiest path, and every message of every
 * call passes through it.
 */
export class VapiWebhook implements RawRoute {
  readonly method = 'POST';
  readonly path = VAPI_WEBHOOK_PATH;
  readonly bodyLimitBytes = 2 * 1024 * 1024;
  private readonly authenticate: (headers: IncomingHttpHeaders, raw: Buffer) => void;
  private readonly sealer: PayloadSealer;

  constructor(
    private readonly config: GatewayConfig,
    private readonly inbox: WebhookInbox,
    private readonly logger: Logger,
    /** The founder calling from an E.164 number, or null (the gateway owns the founders). */
    private readonly findFounder: FounderFinder,
  ) {
    this.authenticate = authenticator(config);
    this.sealer = new PayloadSealer(config);
  }

  async handle({ headers, body: raw, correlationId }: RawRequest): Promise<RawResponse> {
    this.authenticate(headers, raw);
    return this.accept(raw, correlationId, headers);
  }

  /**
   * A delivery past its credentials, taken as any other: the gateway's own sample calls (`SampleCalls`) come in
   * here, so that they follow VAPI's path from the envelope on.
   */
  async accept(raw: Buffer, correlationId: string, headers: IncomingHttpHeaders = { 'content-type': 'application/json' }): Promise<RawResponse> {
    const parsed = jsonBodyOf({ headers, body: raw }, 'VAPI webhooks are JSON (Content-Type: application/json).');
    const typed = withInferredType(parsed);
    const body = envelope.safeParse(typed);
    if (!body.success) throw new AppError(400, 'invalid_envelope', 'A VAPI webhook carries { message: { type, ... } }.', summarizeIssues(body.error.issues));
    const { message } = body.data;

    if (SYNC_TYPES.has(message.type)) {
      const forwarded = message.type === 'assistant-request' ? await this.withFounder(message, typed as Record<string, unknown>) : typed;
      return { status: 200, body: await askVoiceService(message, forwarded, correlationId, this.config, this.logger) };
    }
    const eventKey = vapiEventKey(message, raw);
    const jobId = `vapi-${hash('sha256', eventKey, 'hex').slice(0, 40)}`;
    // The body as received, sealed: the caller's number and what was said never sit readable in Redis, the
    // queue dashboard or the inbox. The voice service opens it.
    await this.inbox.accept(
      'voice',
      'vapi-event',
      {
        v: 1,
        eventKey,
        messageType: fitForPostgres(message.type),
        // Informational (the voice service reads the call from the body); a pathological id is left out.
        vapiCallId: message.call?.id && message.call.id.length <= VAPI_ID_MAX ? message.call.id : null,
        receivedAt: new Date().toISOString(),
        sealedBody: this.sealer.seal(raw),
      },
      { jobId, correlationId },
    );
    return { status: 200, body: {} };
  }

  /**
   * An assistant-request goes to the voice service with the founder calling (or null for nobody): the gateway
   * owns the founders, and this is the only way the voice service learns the caller, so VAPI waits on no call
   * back. When the lookup fails, the body goes as it came, and the voice service apologises to the caller.
   */
  private async withFounder(message: VapiMessage, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const m = message as { customer?: { number?: unknown }; call?: { customer?: { number?: unknown } } | null };
    const number = m.customer?.number ?? m.call?.customer?.number;
    if (typeof number !== 'string' || !E164.test(number)) return body;
    try {
      return { ...body, founder: await this.findFounder(number) };
    } catch (error) {
      this.logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'founder lookup failed; the voice service apologises to the caller');
      return body;
    }
  }
}

/** Finds the founder calling from an E.164 number: null when nobody is. */
export type FounderFinder = (phone: string) => Promise<object | null>;

async function askVoiceService(message: VapiMessage, body: unknown, correlationId: string, config: GatewayConfig, logger: Logger): Promise<unknown> {
  try {
    const response = await callInternal(`${config.VOICE_SERVICE_URL}${INTERNAL_PATHS.voice.vapiSync}`, {
      headers: internalHeaders(config.INTERNAL_API_SECRET, correlationId),
      json: body,
      timeoutMs: config.VAPI_SYNC_TIMEOUT_MS,
    });
    if (response.ok) return response.json();
    logger.warn({ type: message.type, status: response.status }, 'voice service could not answer: fallback sent');
  } catch (error) {
    logger.warn({ type: message.type, err: { name: (error as Error).name, message: (error as Error).message } }, 'voice service unreachable or late: fallback sent');
  }
  return fallbackAnswer(message, config);
}
