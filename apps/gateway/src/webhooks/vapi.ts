import { createHash, createHmac } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError, CORRELATION_HEADER, INTERNAL_TOKEN_HEADER, currentCorrelationId, sameSecret } from '@dreamseed/platform';
import { INTERNAL_PATHS } from '@dreamseed/contracts';
import type { GatewayConfig } from '../config';
import type { WebhookInbox } from './inbox';

export const VAPI_WEBHOOK_PATH = '/webhooks/vapi';

/** The messages VAPI waits on for an answer; every other type is informational. */
const SYNC_TYPES = new Set(['assistant-request', 'tool-calls', 'transfer-destination-request', 'knowledge-base-request']);

/** The envelope: only `message.type` is certain. Unknown fields and unknown types are kept as they come. */
const envelope = z.looseObject({
  message: z.looseObject({
    type: z.string().min(1).max(100),
    timestamp: z.union([z.number(), z.string()]).optional(),
    call: z.looseObject({ id: z.string().max(200).optional() }).nullish(),
  }),
});
type VapiMessage = z.infer<typeof envelope>['message'];

const unauthorized = (message: string) => new AppError(401, 'unauthorized', message);

function authenticate(req: Request, raw: Buffer, config: GatewayConfig): void {
  const secret = config.VAPI_WEBHOOK_SECRET;
  if (!secret) throw unauthorized('VAPI webhooks are not configured (VAPI_WEBHOOK_SECRET).');
  if (config.VAPI_WEBHOOK_AUTH === 'header') {
    const header = req.get('x-vapi-secret');
    const bearer = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const given = header ?? bearer;
    if (!given || !sameSecret(given, secret)) throw unauthorized('Missing or wrong webhook secret.');
    return;
  }
  const signature = req.get(config.VAPI_HMAC_SIGNATURE_HEADER) ?? '';
  const timestamp = req.get(config.VAPI_HMAC_TIMESTAMP_HEADER) ?? '';
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
          : [callId, message.timestamp, createHash('sha256').update(raw).digest('hex')];
  return `${message.type}|${parts.map(String).join('|')}`;
}

/** What VAPI gets when the voice service cannot answer in time: always a 200 with something usable. */
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
    case 'transfer-destination-request':
      return config.VAPI_FALLBACK_TRANSFER_NUMBER
        ? { destination: { type: 'number', number: config.VAPI_FALLBACK_TRANSFER_NUMBER } }
        : { error: 'No one is available to take the call right now.' };
    default:
      return { documents: [] };
  }
}

/** `POST /webhooks/vapi`: verify, then answer synchronous messages through the voice service or enqueue. */
export function vapiWebhookRouter(config: GatewayConfig, inbox: WebhookInbox, logger: Logger): Router {
  const router = express.Router();
  router.post('/', express.raw({ type: () => true, limit: '2mb' }), async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    authenticate(req, raw, config);
    if (!req.is('application/json')) {
      throw new AppError(415, 'unsupported_media_type', 'VAPI webhooks are JSON (Content-Type: application/json).');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError(400, 'invalid_json', 'The request body is not valid JSON.');
    }
    const body = envelope.safeParse(parsed);
    if (!body.success) throw new AppError(400, 'invalid_envelope', 'A VAPI webhook carries { message: { type, ... } }.');
    const { message } = body.data;

    if (SYNC_TYPES.has(message.type)) {
      res.status(200).json(await askVoiceService(message, parsed, config, logger));
      return;
    }
    const eventKey = vapiEventKey(message, raw);
    const jobId = `vapi-${createHash('sha256').update(eventKey).digest('hex').slice(0, 40)}`;
    await inbox.accept(
      'voice',
      'vapi-event',
      {
        v: 1,
        eventKey,
        messageType: message.type,
        vapiCallId: message.call?.id ?? null,
        receivedAt: new Date().toISOString(),
        message: message as Record<string, unknown>,
      },
      jobId,
    );
    res.status(200).json({});
  });
  return router;
}

async function askVoiceService(message: VapiMessage, body: unknown, config: GatewayConfig, logger: Logger): Promise<unknown> {
  try {
    const response = await fetch(`${config.VOICE_SERVICE_URL}${INTERNAL_PATHS.voice.vapiSync}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CORRELATION_HEADER]: currentCorrelationId() ?? '',
        [INTERNAL_TOKEN_HEADER]: config.INTERNAL_API_SECRET ?? '',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(config.VAPI_SYNC_TIMEOUT_MS),
    });
    if (response.ok) return await response.json();
    logger.warn({ type: message.type, status: response.status }, 'voice service could not answer: fallback sent');
  } catch (error) {
    logger.warn({ type: message.type, err: { name: (error as Error).name, message: (error as Error).message } }, 'voice service unreachable or late: fallback sent');
  }
  return fallbackAnswer(message, config);
}
