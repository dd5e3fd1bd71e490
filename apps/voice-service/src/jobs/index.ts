import { acknowledgeOnly, type JobHandlers, type JobProducer } from '@dreamseed/platform';
import type { VoiceDb } from '../db/client';
import { Retention } from './retention';
import { VapiEventProcessor } from './vapi-event';

/** One handler per job of the `voice` queue (the catalog is in libs/contracts). */
export function voiceJobHandlers(deps: { db: VoiceDb; producer: JobProducer; retentionDays: number }): JobHandlers<'voice'> {
  const events = new VapiEventProcessor(deps.db, deps.producer);
  const retention = new Retention(deps.db, deps.retentionDays);
  return {
    'vapi-event': (payload, context) => events.handle(payload, context),
    'place-outbound-call': acknowledgeOnly('#5'),
    'schedule-next-call': acknowledgeOnly('#5'),
    'purge-expired-voice-data': ({ olderThanDays }, context) => retention.purge(olderThanDays, context),
  };
}
