/**
 * Reading VAPI server messages defensively: the current schema keeps results under `artifact` and `analysis`,
 * older payloads at the top level, and per-call data in `assistantOverrides.metadata` or `metadata`.
 */
import { userId } from '@dreamseed/contracts';

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

export function callOf(message: VapiMessage) {
  const call = object(message.call);
  const overrides = object(call.assistantOverrides);
  const metadata = { ...object(call.metadata), ...object(overrides.metadata) };
  const stage = Number(metadata.callStage ?? metadata.call_stage);
  return {
    id: text(call.id),
    type: text(call.type),
    orgId: text(call.orgId),
    assistantId: text(call.assistantId),
    phoneNumberId: text(call.phoneNumberId),
    customerNumber: text(object(message.customer).number) ?? text(object(call.customer).number),
    userId: founderId(metadata.userId ?? metadata.user_id),
    callStage: Number.isInteger(stage) && stage >= 1 && stage <= 4 ? stage : null,
    raw: call,
  };
}

export function directionOf(callType: string | null): 'inbound' | 'outbound' | 'web' {
  if (callType === 'outboundPhoneCall') return 'outbound';
  if (callType === 'webCall' || callType === 'vapi.websocketCall') return 'web';
  return 'inbound';
}

export interface Turn {
  role: 'assistant' | 'user' | 'system' | 'tool' | 'bot';
  content: string;
  secondsFromStart: number | null;
  durationSeconds: number | null;
}

const ROLES = new Set(['assistant', 'user', 'system', 'tool', 'bot']);

/** What the end-of-call report says about the call, wherever the payload keeps it. */
export function endOfCallReport(message: VapiMessage) {
  const artifact = object(message.artifact);
  const analysis = object(message.analysis);
  const recording = object(artifact.recording);
  const messages = (Array.isArray(artifact.messages) ? artifact.messages : Array.isArray(message.messages) ? message.messages : []) as unknown[];
  const turns: Turn[] = messages
    .map(object)
    .filter((m) => ROLES.has(String(m.role)) && typeof (m.message ?? m.content) === 'string')
    .map((m) => ({
      role: String(m.role) as Turn['role'],
      content: String(m.message ?? m.content),
      secondsFromStart: number(m.secondsFromStart),
      durationSeconds: number(m.duration) !== null ? (number(m.duration) as number) / 1000 : null,
    }));
  const startedAt = date(message.startedAt) ?? date(object(message.call).startedAt);
  const endedAt = date(message.endedAt) ?? date(object(message.call).endedAt);
  const duration =
    number(message.durationSeconds) ?? (startedAt && endedAt ? Math.round((endedAt.getTime() - startedAt.getTime()) / 1000) : null);
  return {
    endedReason: text(message.endedReason),
    transcript: text(artifact.transcript) ?? text(message.transcript) ?? turns.map((t) => `${t.role === 'user' ? 'User' : 'AI'}: ${t.content}`).join('\n'),
    turns,
    summary: text(analysis.summary) ?? text(message.summary),
    structuredData: Object.keys(object(analysis.structuredData)).length ? object(analysis.structuredData) : null,
    successEvaluation: analysis.successEvaluation === undefined ? null : String(analysis.successEvaluation),
    recordingUrl: text(recording.mono && object(recording.mono).combinedUrl) ?? text(artifact.recordingUrl) ?? text(message.recordingUrl),
    stereoRecordingUrl: text(recording.stereoUrl) ?? text(artifact.stereoRecordingUrl) ?? text(message.stereoRecordingUrl),
    costUsd: number(message.cost),
    costBreakdown: message.costBreakdown ?? message.costs ?? null,
    startedAt,
    endedAt,
    durationSeconds: duration,
    analysis: Object.keys(analysis).length ? analysis : null,
  };
}

const SECRET_KEY = /secret|token|password|apikey|api_key|authorization|credential/i;
const PERSONAL_KEYS = new Set(['customer', 'transcript', 'messages', 'messagesOpenAIFormatted', 'recording', 'recordingUrl', 'stereoRecordingUrl']);

/**
 * A copy fit for `webhook_logs`: secrets and personal data (the caller, what was said, recordings) replaced by
 * a marker. The call's structure, ids, statuses, costs and timings stay for debugging.
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
