import { acknowledgeOnly, type JobHandlers } from '@dreamseed/platform';

/** One handler per job of the `voice` queue (the catalog is in libs/contracts). */
export function voiceJobHandlers(): JobHandlers<'voice'> {
  return {
    'vapi-event': acknowledgeOnly('#5'),
    'place-outbound-call': acknowledgeOnly('#5'),
    'schedule-next-call': acknowledgeOnly('#5'),
    'purge-expired-voice-data': acknowledgeOnly('#5'),
  };
}
