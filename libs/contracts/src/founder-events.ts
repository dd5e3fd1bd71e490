import { z } from 'zod';
import { callStage, FORMATION_CASE_STATES, isoDateTime, PAYMENT_STATUSES, SUBSCRIPTION_TYPES } from './common';

/**
 * The founder's milestones, pushed to their app as server-sent events (`GET /v1/me/events`) once the change
 * has committed. Like the API they ride in, they are snake_case and carry nothing the founder's own API does not
 * show them: ids, stages, statuses and amounts, never a phone number, an e-mail address or a transcript.
 * Event types are a wire format the web app switches on: add new ones, never rename one.
 */

/** A call's statuses as the voice service records them, in the order they happen. */
export const CALL_STATUSES = ['scheduled', 'queued', 'ringing', 'in-progress', 'forwarding', 'ended'] as const;

const event = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, occurred_at: isoDateTime }).strict();

/**
 * Where the registration of a package's domain stands on the formation case: `awaiting_selection` (the package
 * includes one, none is chosen yet), `pending` (asked of the domain service), `registered` or `failed`.
 */
/**
 * Where the package's domain stands: waiting for the founder to choose one, for what a registrant needs (a full
 * name, a confirmed phone number, an address in the formation details), or for the founder's agreement to the
 * registrar's registration agreements, then asked, registered or failed.
 */
export const FORMATION_DOMAIN_STATUSES = ['awaiting_selection', 'awaiting_contact', 'awaiting_consent', 'pending', 'registered', 'failed'] as const;
export type FormationDomainStatus = (typeof FORMATION_DOMAIN_STATUSES)[number];

/** What changed on a formation case: it opened, moved state, changed package, has new documents, or its domain moved on. */
export const FORMATION_CHANGES = ['opened', 'moved', 'package', 'documents', 'domain'] as const;

export const founderEventSchemas = {
  /** A consultation call moved on (ringing, in progress, ended). */
  'call.updated': event({ vapi_call_id: z.string().min(1).max(128), call_stage: callStage.nullable(), status: z.enum(CALL_STATUSES) }),
  /** A consultation call counts as done on the profile; `current_call_stage` has moved on. */
  'call.completed': event({ call_stage: callStage }),
  /** The four calls are in and analysed: the profile is `analysis_ready`. */
  'analysis.ready': event({ dream_dna_version: z.number().int().positive() }),
  /** A new Dream DNA version is current. */
  'dream_dna.changed': event({ version: z.number().int().positive() }),
  /** The founder's chosen domain is recorded on the profile. */
  'domain.selected': event({ domain: z.string().min(3).max(253) }),
  /** The profile's payment fields, as they now stand. */
  'payment.updated': event({
    payment_status: z.enum(PAYMENT_STATUSES),
    amount_paid: z.number().int().nonnegative().nullable(),
    /** The lower-case ISO 4217 currency of `amount_paid`. */
    currency: z.string().regex(/^[a-z]{3}$/).nullable(),
    subscription_type: z.enum(SUBSCRIPTION_TYPES).nullable(),
  }),
  /** The founder's formation case changed (GET /v1/me/formation/case has the whole of it). */
  'formation.changed': event({
    case_id: z.uuid(),
    change: z.enum(FORMATION_CHANGES),
    state: z.enum(FORMATION_CASE_STATES),
    domain_status: z.enum(FORMATION_DOMAIN_STATUSES).nullable(),
  }),
} as const;

export type FounderEventSchemas = typeof founderEventSchemas;
export type FounderEventType = keyof FounderEventSchemas & string;
export type FounderEventData<T extends FounderEventType> = z.input<FounderEventSchemas[T]>;
export const FOUNDER_EVENT_TYPES = Object.keys(founderEventSchemas) as FounderEventType[];

/** An event as the stream delivers it: the id is the Redis stream entry's id, the `Last-Event-ID` to resume from. */
export interface FounderEvent<T extends FounderEventType = FounderEventType> {
  id: string;
  type: T;
  data: FounderEventData<T>;
}

export const isFounderEventType = (type: string): type is FounderEventType => Object.hasOwn(founderEventSchemas, type);
