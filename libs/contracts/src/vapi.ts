/**
 * The longest VAPI call id and `vapi-event` key the platform keeps as they are (VAPI's ids are UUIDs, but its
 * schema bounds none): a longer one is named by its hash, so that it fits the job's contract and an index entry.
 */
export const VAPI_ID_MAX = 200;

/**
 * What no store takes in a VAPI id or message type: a NUL character (Postgres text refuses it) and a lone
 * surrogate (Postgres jsonb refuses its escape). VAPI's schema types ids as any string, so nothing else is refused:
 * an event carrying one of these is answered 400 at the door, never acknowledged and then retried in vain.
 */
// eslint-disable-next-line no-control-regex -- the NUL is the very character refused
export const VAPI_UNSTORABLE_TEXT = /[\u0000\p{Cs}]/u;

/**
 * The answers to VAPI's synchronous messages the platform has no use for (no squads, no knowledge base, no
 * campaigns, no custom voice or endpointing server), each what VAPI's reply schema for its type requires. The
 * voice service and the gateway's fallback give the same ones.
 */
export const VAPI_STANDING_REPLIES = {
  // The schema requires a destination: an empty one with an error means "no handoff", and the error goes into
  // the conversation for the model.
  'handoff-destination-request': { destination: {}, error: 'There is no one to hand this call to; carry on with the caller.' },
  'knowledge-base-request': { documents: [] },
  // The platform cannot vouch for a campaign's contact: nobody is dialled on its word.
  'campaign.predial': { eligible: false },
  // VAPI plays the answer's bytes as audio: the schema's smallest answer.
  'voice-request': { data: '' },
  // VAPI's documented example.
  'call.endpointing.request': { timeoutSeconds: 0.5 },
} as const;

export type VapiStandingReplyType = keyof typeof VAPI_STANDING_REPLIES;

export const hasStandingReply = (type: string): type is VapiStandingReplyType => Object.hasOwn(VAPI_STANDING_REPLIES, type);
