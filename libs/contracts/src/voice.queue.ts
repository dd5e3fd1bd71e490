import { z } from 'zod';
import { defineCatalog, job, payloadV1 } from './catalog';
import { callStage, isoDateTime, userId } from './common';
import { VAPI_ID_MAX } from './vapi';

/** The VAPI server-message types the platform knows; others are kept and stored as they come. */
export const VAPI_ASYNC_MESSAGE_TYPES = [
  'status-update',
  'transcript',
  'end-of-call-report',
  'conversation-update',
  'hang',
  'speech-update',
  'user-interrupted',
] as const;

export const voiceJobs = defineCatalog({
  /**
   * An asynchronous VAPI server message, verified by the gateway. The job id is derived from the message
   * (call id, type and timestamp), so a duplicate delivery is dropped by BullMQ. The message holds personal data
   * (the caller's number, what was said), so it travels sealed: `sealedBody` is the webhook's body as received,
   * a compact JWE under `PAYLOAD_ENCRYPTION_KEY` (libs/platform `PayloadSealer`). The other fields say nothing
   * about the founder.
   */
  'vapi-event': job(
    payloadV1({
      eventKey: z.string().min(1).max(VAPI_ID_MAX),
      messageType: z.string().min(1).max(100),
      vapiCallId: z.string().max(VAPI_ID_MAX).nullable(),
      receivedAt: isoDateTime,
      /** The body (`{ message: { ... } }`) sealed; up to 2 MB of body, so about 2.7 MB of base64url. */
      sealedBody: z.string().min(1).max(3_000_000).optional(),
      /**
       * The message in the clear, as gateways before sealing sent it: still taken, so that jobs queued before an
       * upgrade are processed after it. Nothing sends it any more.
       */
      message: z.record(z.string(), z.unknown()).optional(),
    }).refine((payload) => (payload.sealedBody === undefined) !== (payload.message === undefined), {
      message: 'carries either sealedBody or message',
    }),
    { attempts: 10, backoffMs: 2000 },
  ),
  /** Place an outbound consultation call through VAPI's `POST /call`. */
  'place-outbound-call': job(
    payloadV1({ userId, callStage, voiceCallId: z.uuid() }),
    { attempts: 3, backoffMs: 30000 },
  ),
  /** Plan the founder's next call after one ended. */
  'schedule-next-call': job(payloadV1({ userId, callStage, notBefore: isoDateTime.optional() })),
  /**
   * Cancel the founder's planned outbound calls, if any; with `throughStage`, only those of the stages up to it
   * (the stages a completed call has made needless).
   */
  'cancel-next-call': job(payloadV1({ userId, requestId: z.uuid(), throughStage: callStage.optional() })),
  /**
   * The founder deleted their account: erase what they said and what was made from it in this owner's tables (the
   * gateway sends one per owner, in the deletion's own transaction through its inbox). Idempotent; keeps only
   * records the platform must keep (see docs/security.md, account deletion).
   */
  'erase-founder': job(payloadV1({ userId }), { attempts: 8, backoffMs: 10_000 }),
  /** Archive then purge transcripts and webhook logs past the retention age (scheduled). */
  'purge-expired-voice-data': job(payloadV1({ olderThanDays: z.number().int().positive().optional() }), {
    attempts: 3,
  }),
});

export type VoiceJobs = typeof voiceJobs;
