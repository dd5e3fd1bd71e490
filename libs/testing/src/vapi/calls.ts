/**
 * One whole call as VAPI delivers it, built from the fixture deliveries (`fixtures.ts`) with the plan's
 * call, caller, metadata and conversation put in: for an inbound call the assistant-request; status updates
 * (queued for outbound, ringing, in-progress); a conversation-update after every committed message; the
 * tool-calls when the plan has one; the ended status with its reason; and the end-of-call report, with the
 * legacy top-level fields VAPI still sends beside `artifact` and `analysis`.
 */
import { createHash } from 'node:crypto';
import type { Vapi } from '@vapi-ai/server-sdk';
import { vapiMessageFixture } from './fixtures';
import type { VapiDelivery } from './schema';

export type VapiCallLine = [speaker: 'AI' | 'User', text: string];

/** A tool the assistant calls after `afterLine` lines, answered with `result`. */
export interface VapiToolUse {
  afterLine: number;
  name: string;
  arguments: Record<string, unknown>;
  result: string;
}

export interface VapiCallPlan {
  callId: string;
  direction: 'inbound' | 'outbound';
  customerNumber: string;
  /** What VAPI echoes in `call.assistantOverrides.metadata` (what the assistant-request answer or POST /call set); absent: nothing. */
  metadata?: Record<string, unknown>;
  /** The consultation stage, named in the assistant. */
  stage?: number;
  lines: VapiCallLine[];
  summary: string;
  structuredData: Record<string, unknown>;
  /** Default: the end of the last line plus a few seconds. */
  durationSeconds?: number;
  toolUse?: VapiToolUse;
  /** Default: `customer-ended-call`. */
  endedReason?: Vapi.ServerMessageEndOfCallReportEndedReason;
  /** When the call was answered. Default: now. */
  startedAt?: Date;
}

export type VapiCallDelivery = VapiDelivery<'assistant-request' | 'status-update' | 'conversation-update' | 'tool-calls' | 'end-of-call-report'>;

type ArtifactMessage = NonNullable<Vapi.Artifact['messages']>[number];

/** One committed message of the conversation, at its time (seconds from the start). */
interface Entry {
  at: number;
  message: ArtifactMessage;
  openAi: Vapi.OpenAiMessage;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
/** How long a line takes to say: about 15 characters a second, as a TTS voice and a caller speak. */
const spoken = (text: string) => round(0.8 + text.length / 15);

function systemPromptOf(plan: VapiCallPlan) {
  return `You are DreamSeed's consultant on call ${plan.stage ?? 1} of four with a founder. Ask one question at a time, keep answers short and warm, and save what you learn.`;
}

function conversationOf(plan: VapiCallPlan, startMs: number, toolCall: Vapi.ToolCall | undefined): Entry[] {
  const time = (at: number) => Math.round(startMs + at * 1000);
  const prompt = systemPromptOf(plan);
  const entries: Entry[] = [{ at: 0, message: { role: 'system', message: prompt, time: startMs - 1204, secondsFromStart: 0 }, openAi: { role: 'system', content: prompt } }];
  let at = 0.96;
  plan.lines.forEach(([speaker, text], index) => {
    const length = spoken(text);
    const role = speaker === 'AI' ? 'bot' : 'user';
    const message = { role, message: text, time: time(at), endTime: time(at + length), secondsFromStart: round(at), duration: Math.round(length * 1000) };
    entries.push({ at: at + length, message: role === 'bot' ? { ...message, source: '' } : message, openAi: { role: role === 'bot' ? 'assistant' : 'user', content: text } });
    at = round(at + length + 0.7);
    if (toolCall && plan.toolUse && index + 1 === plan.toolUse.afterLine) {
      const { name, result } = plan.toolUse;
      entries.push({
        at,
        message: { role: 'tool_calls', toolCalls: [{ ...toolCall }], message: '', time: time(at), secondsFromStart: at },
        openAi: { role: 'assistant', content: null, tool_calls: [toolCall] } as Vapi.OpenAiMessage,
      });
      at = round(at + 1.62);
      entries.push({
        at,
        message: { role: 'tool_call_result', toolCallId: toolCall.id, name, result, time: time(at), secondsFromStart: at },
        openAi: { role: 'tool', tool_call_id: toolCall.id, content: result } as Vapi.OpenAiMessage,
      });
      at = round(at + 0.7);
    }
  });
  return entries;
}

/** The deliveries of one call, in the order VAPI sends them. */
export function vapiCallDeliveries(plan: VapiCallPlan): VapiCallDelivery[] {
  const startMs = (plan.startedAt ?? new Date()).getTime();
  const createdMs = startMs - (plan.direction === 'inbound' ? 2137 : 14_820);
  const toolCall: Vapi.ToolCall | undefined = plan.toolUse && {
    id: `call_${digest(`${plan.callId}:${plan.toolUse.afterLine}`).slice(0, 24)}`,
    type: 'function',
    function: { name: plan.toolUse.name, arguments: JSON.stringify(plan.toolUse.arguments) },
  };
  const entries = conversationOf(plan, startMs, toolCall);
  const lastAt = entries[entries.length - 1].at;
  const durationSeconds = plan.durationSeconds ?? round(lastAt + 2.5);
  const endMs = startMs + durationSeconds * 1000;
  const endedReason = plan.endedReason ?? 'customer-ended-call';
  const at = (seconds: number) => Math.round(startMs + seconds * 1000) + 37;
  const sofar = (seconds: number) => {
    const committed = entries.filter((entry) => entry.at <= seconds);
    return { messages: committed.map((entry) => entry.message), messagesOpenAIFormatted: committed.map((entry) => entry.openAi) };
  };

  const sid = digest(plan.callId).slice(0, 32);
  const template = vapiMessageFixture('status-update').message;
  const assistant = assistantOf(plan, template.assistant);
  /** The call at a status; `answered`: VAPI has its assistant (false only while it asks for one). */
  const callAt = (status: Vapi.CallStatus, updatedMs: number, answered = true): Vapi.Call => {
    const { assistantId, monitor, transport, assistantOverrides: _fixtureOverrides, startedAt: _fixtureStart, ...base } = template.call as Vapi.Call;
    const call: Vapi.Call = {
      ...base,
      id: plan.callId,
      type: plan.direction === 'inbound' ? 'inboundPhoneCall' : 'outboundPhoneCall',
      status,
      createdAt: new Date(createdMs).toISOString(),
      updatedAt: new Date(updatedMs).toISOString(),
      phoneCallProviderId: `CA${sid}`,
      transport: { ...transport, callSid: `CA${sid}` } as Vapi.Call['transport'],
      customer: { number: plan.customerNumber },
    };
    if (!answered) return call;
    Object.assign(call, {
      assistantId,
      monitor: {
        listenUrl: monitor?.listenUrl?.replace(template.call?.id ?? '', plan.callId),
        controlUrl: monitor?.controlUrl?.replace(template.call?.id ?? '', plan.callId),
      },
      ...(plan.metadata ? { assistantOverrides: { metadata: plan.metadata } } : {}),
    });
    if (status === 'queued' || status === 'ringing') return call;
    return { ...call, startedAt: new Date(startMs).toISOString(), ...(status === 'ended' ? { endedAt: new Date(endMs).toISOString(), endedReason } : {}) };
  };
  const around = (status: Vapi.CallStatus, timestamp: number, answered = true) => ({
    timestamp,
    call: callAt(status, timestamp - 25, answered),
    phoneNumber: template.phoneNumber,
    customer: { number: plan.customerNumber },
  });
  const statusUpdate = (status: Vapi.ServerMessageStatusUpdateStatus, timestamp: number, seconds: number): VapiCallDelivery => ({
    message: {
      ...template,
      ...around(status, timestamp),
      assistant,
      type: 'status-update',
      status,
      ...(status === 'ended' ? { endedReason } : {}),
      artifact: sofar(seconds),
    },
  });

  const deliveries: VapiCallDelivery[] = [];
  if (plan.direction === 'inbound') {
    const request = vapiMessageFixture('assistant-request').message;
    deliveries.push({ message: { ...request, ...around('ringing', createdMs + 214, false) } });
  } else {
    deliveries.push(statusUpdate('queued', createdMs + 96, 0), statusUpdate('ringing', createdMs + 1211, 0));
  }
  if (plan.direction === 'inbound') deliveries.push(statusUpdate('ringing', createdMs + 1489, 0));
  deliveries.push(statusUpdate('in-progress', startMs + 41, 0));

  const conversationUpdate = vapiMessageFixture('conversation-update').message;
  for (const entry of entries.slice(1)) {
    if (entry.message.role === 'tool_calls' && toolCall) deliveries.push(toolCallsDelivery(toolCall, around('in-progress', at(entry.at)), assistant, sofar(entry.at - 0.001)));
    const committed = sofar(entry.at);
    deliveries.push({ message: { ...conversationUpdate, ...around('in-progress', at(entry.at)), assistant, ...committed, artifact: committed } });
  }
  deliveries.push(statusUpdate('ended', endMs + 312, durationSeconds));
  deliveries.push(endOfCallReport(plan, { around: around('ended', endMs + 8912), assistant, endMs, startMs, durationSeconds, endedReason, conversation: sofar(durationSeconds) }));
  return deliveries;
}

/** The fixture's assistant, named for the stage and carrying the metadata the call was given. */
function assistantOf(plan: VapiCallPlan, fixture: Vapi.CreateAssistantDto | undefined): Vapi.CreateAssistantDto {
  const { metadata: _fixtureMetadata, ...assistant } = structuredClone(fixture ?? {});
  const model = assistant.model && ({ ...assistant.model, messages: [{ role: 'system', content: systemPromptOf(plan) }] } as Vapi.CreateAssistantDto['model']);
  return {
    ...assistant,
    name: `DreamSeed stage ${plan.stage ?? 1}`,
    ...(model ? { model } : {}),
    ...(plan.metadata ? { metadata: plan.metadata } : {}),
  };
}

type Envelope = Pick<Vapi.ServerMessageToolCalls, 'timestamp' | 'call' | 'phoneNumber' | 'customer'>;

function toolCallsDelivery(toolCall: Vapi.ToolCall, around: Envelope, assistant: Vapi.CreateAssistantDto, artifact: Vapi.Artifact): VapiCallDelivery {
  const fixture = vapiMessageFixture('tool-calls').message;
  const [tool] = fixture.toolWithToolCallList as (Vapi.FunctionToolWithToolCall & { type: 'function' })[];
  // The fixture's tool definition when it is the same tool; otherwise the name alone (the parameters are the plan's).
  const definition = tool.function?.name === toolCall.function.name ? tool.function : { name: toolCall.function.name };
  return {
    message: {
      ...fixture,
      ...around,
      assistant,
      toolCallList: [toolCall],
      toolWithToolCallList: [{ ...tool, function: definition, toolCall }],
      artifact,
    },
  };
}

interface ReportParts {
  around: Envelope;
  assistant: Vapi.CreateAssistantDto;
  startMs: number;
  endMs: number;
  durationSeconds: number;
  endedReason: Vapi.ServerMessageEndOfCallReportEndedReason;
  conversation: Required<Pick<Vapi.Artifact, 'messages' | 'messagesOpenAIFormatted'>>;
}

function endOfCallReport(plan: VapiCallPlan, parts: ReportParts): VapiCallDelivery {
  const fixture = vapiMessageFixture('end-of-call-report').message;
  const transcript = `${plan.lines.map(([speaker, text]) => `${speaker}: ${text}`).join('\n')}\n`;
  const recordingBase = `https://storage.vapi.ai/${plan.callId}-${parts.endMs}`;
  const recording = {
    stereoUrl: `${recordingBase}-stereo.wav`,
    mono: { combinedUrl: `${recordingBase}-mono.wav`, assistantUrl: `${recordingBase}-assistant.wav`, customerUrl: `${recordingBase}-customer.wav` },
  };
  const artifact: Vapi.Artifact = {
    ...fixture.artifact,
    ...parts.conversation,
    transcript,
    recording,
    recordingUrl: recording.mono.combinedUrl,
    stereoRecordingUrl: recording.stereoUrl,
    logUrl: fixture.artifact.logUrl?.replace(fixture.call?.id ?? '', plan.callId),
    variableValues: { customer: { number: plan.customerNumber } },
  };
  const analysis: Vapi.Analysis = { summary: plan.summary, structuredData: plan.structuredData, successEvaluation: 'true' };
  const report: Vapi.ServerMessageEndOfCallReport = {
    ...fixture,
    ...parts.around,
    assistant: parts.assistant,
    endedReason: parts.endedReason,
    startedAt: new Date(parts.startMs).toISOString(),
    endedAt: new Date(parts.endMs).toISOString(),
    artifact,
    analysis,
  };
  // Beside the current schema, VAPI still sends the fields older API versions had at the top level.
  const legacy = {
    durationMs: Math.round(parts.durationSeconds * 1000),
    durationSeconds: parts.durationSeconds,
    durationMinutes: round(parts.durationSeconds / 60),
    summary: plan.summary,
    transcript,
    messages: artifact.messages,
    recordingUrl: recording.mono.combinedUrl,
    stereoRecordingUrl: recording.stereoUrl,
  };
  return { message: Object.assign(report, legacy) };
}
