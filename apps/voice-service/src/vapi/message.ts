/**
 * Reading VAPI server messages defensively: the current schema keeps results under `artifact` and `analysis`,
 * older payloads at the top level, and our per-call metadata in the overrides, the call, or the assistant (`callOf`).
 */
import { createHash } from 'node:crypto';
import { VAPI_ID_MAX, userId } from '@dreamseed/contracts';
import type { WebCallTickets } from './web-call-ticket';

export type VapiMessage = Record<string, unknown> & { type: string };

const object = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | null => (typeof value === 'string' && value.length ? value : null);
/** A founder id from call metadata: anything but a uuid (a hand-made call, a typo) names no founder. */
const founderId = (value: unknown): string | null => {
  const id = text(value);
  return id && userId.safeParse(id).success ? id : null;
};
const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const date = (value: unknown): Date | null => {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
};

/** A call id as stored: past VAPI_ID_MAX, named by its hash, the same for every message of the call. */
const callIdOf = (value: unknown): string | null => {
  const id = text(value);
  return id === null || id.length <= VAPI_ID_MAX ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
};

/** The `purpose` in the metadata of the intake assistant's calls. */
export const INTAKE_PURPOSE = 'intake';

/**
 * The types that speak of a live call and so may create or move its session. Others (`call.deleted`,
 * `campaign.predial`, `chat.*`, `session.*`, types VAPI adds later) are logged only: a deleted call or a
 * campaign's pre-dial check is not a call in progress.
 */
const LIVE_CALL_TYPES = new Set([
  'assistant-request', 'status-update', 'end-of-call-report', 'conversation-update', 'transcript', 'speech-update', 'hang',
  'user-interrupted', 'model-output', 'tool-calls', 'function-call', 'transfer-destination-request', 'transfer-update',
  'handoff-destination-request', 'knowledge-base-request', 'language-change-detected', 'voice-input', 'phone-call-control',
  'assistant.started', 'assistant.speechStarted',
]);

export const speaksOfLiveCall = (type: string) => LIVE_CALL_TYPES.has(type) || type.startsWith('transcript[');

/**
 * The call a message is about, and our metadata wherever VAPI carries it: the overrides we answered with, the
 * call's own metadata, or the transient assistant we returned (recorded on `call.assistant`, and sent as
 * `message.assistant`). The first place that names a founder wins.
 */
export function callOf(message: VapiMessage, webTickets?: WebCallTickets) {
  const call = object(message.call);
  const overrides = object(call.assistantOverrides);
  const places = [object(overrides.metadata), object(call.metadata), object(object(call.assistant).metadata), object(object(message.assistant).metadata)];
  const metadata = places.find((m) => founderId(m.userId ?? m.user_id)) ?? {};
  // The intake assistant (a caller we did not know) marks its calls: no consultation, whoever registers in it.
  const intake = places.some((m) => m.purpose === INTAKE_PURPOSE);
  const stage = Number(metadata.callStage ?? metadata.call_stage);
  const type = text(call.type);
  const founder =
    directionOf(type) === 'web'
      ? // A browser chose this call's metadata: only a ticket we signed names its founder (web-call-ticket.ts).
        (webTickets?.verify(places.find((m) => typeof m.ticket === 'string')?.ticket, date(call.createdAt)) ?? { userId: null, callStage: null })
      : { userId: founderId(metadata.userId ?? metadata.user_id), callStage: Number.isInteger(stage) && stage >= 1 && stage <= 4 ? stage : null };
  return {
    id: callIdOf(call.id),
    type,
    orgId: text(call.orgId),
    assistantId: text(call.assistantId),
    phoneNumberId: text(call.phoneNumberId),
    customerNumber: text(object(message.customer).number) ?? text(object(call.customer).number),
    userId: founder.userId,
    callStage: founder.callStage,
    intake,
    raw: call,
  };
}

export function directionOf(callType: string | null): 'inbound' | 'outbound' | 'web' {
  if (callType === 'outboundPhoneCall') return 'outbound';
  if (callType === 'webCall' || callType === 'vapi.websocketCall') return 'web';
  return 'inbound';
}

/** A founder-visible turn: what the assistant or the founder said. */
export interface Turn {
  role: 'assistant' | 'user';
  content: string;
  secondsFromStart: number | null;
  durationSeconds: number | null;
}

/**
 * Only speech becomes a turn: VAPI's `artifact.messages` begins with the system prompt and carries tool calls and
 * their results (`tool_calls`, `tool_call_result`), none of which was said. The assistant is `bot` there and
 * `assistant` in the OpenAI-formatted list.
 */
const SPEAKERS: Record<string, Turn['role']> = { bot: 'assistant', assistant: 'assistant', user: 'user' };

const seconds = (ms: unknown) => (number(ms) === null ? null : (number(ms) as number) / 1000);

/** What the end-of-call report says about the call, wherever the payload keeps it. */
export function endOfCallReport(message: VapiMessage) {
  const artifact = object(message.artifact);
  const analysis = object(message.analysis);
  const recording = object(artifact.recording);
  const call = object(message.call);
  const messages = (Array.isArray(artifact.messages) ? artifact.messages : Array.isArray(message.messages) ? message.messages : []) as unknown[];
  const turns: Turn[] = messages
    .map(object)
    .filter((m) => Object.hasOwn(SPEAKERS, String(m.role)) && typeof (m.message ?? m.content) === 'string' && String(m.message ?? m.content).trim())
    .map((m) => ({
      role: SPEAKERS[String(m.role)] as Turn['role'],
      content: String(m.message ?? m.content),
      secondsFromStart: number(m.secondsFromStart),
      durationSeconds: seconds(m.duration),
    }));
  const startedAt = date(message.startedAt) ?? date(call.startedAt);
  const endedAt = date(message.endedAt) ?? date(call.endedAt);
  // Fractional seconds as VAPI reports them; the legacy fields first, then the call's own times.
  const duration =
    number(message.durationSeconds) ??
    seconds(message.durationMs) ??
    (number(message.durationMinutes) === null ? null : (number(message.durationMinutes) as number) * 60) ??
    (startedAt && endedAt ? (endedAt.getTime() - startedAt.getTime()) / 1000 : null);
  const evaluation = analysis.successEvaluation;
  return {
    endedReason: text(message.endedReason) ?? text(call.endedReason),
    transcript: text(artifact.transcript) ?? text(message.transcript) ?? turns.map((t) => `${t.role === 'user' ? 'User' : 'AI'}: ${t.content}`).join('\n'),
    turns,
    summary: text(analysis.summary) ?? text(message.summary),
    structuredData: Object.keys(object(analysis.structuredData)).length ? object(analysis.structuredData) : null,
    successEvaluation: evaluation === undefined || evaluation === null ? null : typeof evaluation === 'string' ? evaluation : JSON.stringify(evaluation),
    recordingUrl: text(recording.mono && object(recording.mono).combinedUrl) ?? text(artifact.recordingUrl) ?? text(message.recordingUrl),
    stereoRecordingUrl: text(recording.stereoUrl) ?? text(artifact.stereoRecordingUrl) ?? text(message.stereoRecordingUrl),
    costUsd: number(message.cost) ?? number(call.cost),
    costBreakdown: message.costBreakdown ?? message.costs ?? call.costBreakdown ?? call.costs ?? null,
    startedAt,
    endedAt,
    durationSeconds: duration,
    analysis: Object.keys(analysis).length ? analysis : null,
  };
}

const SECRET_KEY = /secret|token|password|apikey|api_key|authorization|credential/i;
const PERSONAL_KEYS = new Set([
  'customer',
  'transcript',
  'messages',
  'messagesOpenAIFormatted',
  'recording',
  'recordingUrl',
  'stereoRecordingUrl',
  // What VAPI's call analysis drew from the conversation: a retelling of what was said.
  'summary',
  'structuredData',
  'structuredDataMulti',
  'structuredOutputs',
]);

/**
 * A copy fit for `webhook_logs` and the call's raw copies: secrets and personal data (the caller, what was said,
 * recordings, the analysis's summary and extracted data) replaced by a marker. The call's structure, ids,
 * statuses, costs, timings and the analysis's verdict stay for debugging.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 12) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) =>
      SECRET_KEY.test(key) || PERSONAL_KEYS.has(key) ? [key, '[redacted]'] : [key, redact(inner, depth + 1)],
    ),
  );
}
