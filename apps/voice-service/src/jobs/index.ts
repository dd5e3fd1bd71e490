import { PayloadSealer, type FounderEventPublisher, type JobHandlers, type JobProducer, type Logger } from '@dreamseed/platform';
import type { VoiceConfig } from '../config';
import type { VoiceDb } from '../db/client';
import { fetchFounder } from '../gateway-client';
import { createCallProvider } from '../vapi/provider';
import { WebCallTickets } from '../vapi/web-call-ticket';
import { FounderErasure } from './erase';
import { OutboundCalls } from './outbound';
import { Retention } from './retention';
import { VapiEventProcessor } from './vapi-event';

/** One handler per job of the `voice` queue (the catalog is in libs/contracts). */
export function voiceJobHandlers(deps: {
  db: VoiceDb;
  producer: JobProducer;
  config: VoiceConfig;
  logger?: Logger;
  founderEvents?: FounderEventPublisher;
}): JobHandlers<'voice'> {
  const { db, producer, config, logger } = deps;
  const events = new VapiEventProcessor(db, producer, {
    logger,
    events: deps.founderEvents,
    sealer: new PayloadSealer(config),
    founderByNumber: (phone, correlationId) => fetchFounder(config, { phone }, config.FOUNDER_LOOKUP_TIMEOUT_MS, correlationId),
    webTickets: new WebCallTickets(config.JWT_SECRET),
  });
  const retention = new Retention(db, config.VOICE_RETENTION_DAYS);
  const erasure = new FounderErasure(db);
  const provider = createCallProvider({ apiKey: config.VAPI_API_KEY, baseUrl: config.VAPI_BASE_URL, phoneNumberId: config.VAPI_PHONE_NUMBER_ID });
  const outbound = new OutboundCalls(db, producer, provider, config);
  return {
    'vapi-event': (payload, context) => events.handle(payload, context),
    'schedule-next-call': (payload, context) => outbound.schedule(payload, context),
    'place-outbound-call': (payload, context) => outbound.place(payload, context),
    'cancel-next-call': (payload, context) => outbound.cancel(payload, context),
    'erase-founder': (payload, context) => erasure.erase(payload, context),
    'purge-expired-voice-data': ({ olderThanDays }, context) => retention.purge(olderThanDays, context),
  };
}
