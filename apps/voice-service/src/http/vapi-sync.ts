import { hash } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { BUSINESS_FACT_ALIASES, BUSINESS_FACT_NAMES, E164, INTERNAL_PATHS, VAPI_STANDING_REPLIES, hasStandingReply, type DomainCheckResponse, type FounderCallContext } from '@dreamseed/contracts';
import { AppError, callInternal, fitForPostgres, internalHeaders, internalJsonRoute, jobIdFrom, readAsOwner, type JobProducer, type RawRoute } from '@dreamseed/platform';
import { founderAssistant, intakeAssistant, variableValuesOf, type CallMetadata, type Stage } from '../assistants/stages';
import { withRecordedFounder } from '../calls/founders';
import { nextStage } from '../calls/next-call';
import { registerCaller } from '../gateway-client';
import type { VoiceConfig } from '../config';
import type { VoiceDb } from '../db/client';
import { callOf, type VapiMessage } from '../vapi/message';
import { vapiServer } from '../vapi/server';
import { WebCallTickets } from '../vapi/web-call-ticket';

const envelope = z.looseObject({ message: z.looseObject({ type: z.string().min(1) }) });

type CallOfTool = Pick<ReturnType<typeof callOf>, 'id' | 'userId' | 'callStage' | 'customerNumber'>;

interface ToolCall {
  id: string;
  name: string;
  /** Parsed arguments, or the reason they could not be read. */
  args: Record<string, unknown> | { unreadable: string };
}

type ToolResult = { toolCallId: string; name: string } & ({ result: string } | { error: string });

/** Arguments as VAPI sends them: an object, or a JSON string of one. */
function argumentsOf(raw: unknown): ToolCall['args'] {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { unreadable: 'not valid JSON' };
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { unreadable: 'not an object' };
}

/** The calls of a `tool-calls` message, named under `function` or flattened. */
function toolCallsOf(message: VapiMessage): ToolCall[] {
  const list = Array.isArray(message.toolCallList) ? message.toolCallList : [];
  return list.flatMap((item): ToolCall[] => {
    const call = (item ?? {}) as { id?: unknown; name?: unknown; arguments?: unknown; parameters?: unknown; function?: { name?: unknown; arguments?: unknown } };
    if (typeof call.id !== 'string') return [];
    return [{ id: call.id, name: String(call.function?.name ?? call.name ?? ''), args: argumentsOf(call.function?.arguments ?? call.arguments ?? call.parameters ?? {}) }];
  });
}

/**
 * The call of a legacy `function-call` message (`functionCall: { name, parameters }`, from assistants with
 * `model.functions`). It has no id, so one is made from the call, the moment and the function: a repeated
 * delivery makes the same id, and so the same job ids downstream.
 */
function functionCallOf(message: VapiMessage): ToolCall {
  const functionCall = (message.functionCall ?? {}) as { name?: unknown; parameters?: unknown };
  const name = typeof functionCall.name === 'string' ? functionCall.name : '';
  const id = hash('sha256', JSON.stringify([callOf(message).id, message.timestamp ?? null, name, functionCall.parameters ?? null]), 'hex');
  return { id: `function-call-${id.slice(0, 40)}`, name, args: argumentsOf(functionCall.parameters ?? {}) };
}

/** A founder as the gateway sends it with an assistant-request (the shape of `FounderCallContext`). */
function isFounderContext(value: unknown): value is FounderCallContext {
  const founder = value as Partial<FounderCallContext> | null;
  return typeof founder === 'object' && founder !== null && typeof founder.id === 'string' && typeof founder.currentCallStage === 'number' && typeof founder.assistantType === 'string';
}

/**
 * Who an assistant-request's caller is, from what the gateway sent along (`founder`, see INTERNAL_PATHS.voice.
 * vapiSync): the founder, or null for nobody. A caller without an E.164 number is nobody (no founder can own
 * it); for one with such a number the gateway always sends `founder`, so without it (or with something that is
 * not a founder) the gateway could not say: undefined.
 */
export function callerOf(customerNumber: string | null, sent: unknown): FounderCallContext | null | undefined {
  if (sent === null || isFounderContext(sent)) return sent;
  return customerNumber && E164.test(customerNumber) ? undefined : null;
}

/** Tool results are single-line strings (VAPI's rule). */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 1000);

/** The most an assistant-request waits on recording its call's founder before answering without the record. */
const FOUNDER_RECORD_WAIT_MS = 1000;

/**
 * The call's founder as `bindCallFounder` records it (the first record wins), in one statement and one round trip
 * (`readAsOwner`): VAPI starts the call only once it has our answer, so the call has no rows of ours yet for
 * `bindCallFounder` to link, nor a report whose follow-ups would be owed. It costs a fraction of `bindCallFounder`
 * in `withOwnerRole` (docs/performance-notes.md#call-founder-record); a change re-measures with the bench's
 * assistant-request rounds.
 */
const RECORD_CALL_FOUNDER = `insert into voice.call_founders (vapi_call_id, user_id, call_stage, source)
  values ($1, $2, $3, $4) on conflict (vapi_call_id) do nothing`;

/** The founder recorded for a call (`user_id` null: an intake call, nobody's). */
const RECORDED_CALL_FOUNDER = 'select user_id, call_stage from voice.call_founders where vapi_call_id = $1';

/**
 * The voice service's answers to VAPI's synchronous messages, reached through the gateway (which holds the
 * deadline and the fallback). Every answer is a 200 with what VAPI's reply schema for the type requires;
 * failures become spoken errors.
 */
export function vapiSyncRoute(config: VoiceConfig, deps: { db: VoiceDb; producer: JobProducer; logger: Logger }): RawRoute {
  const { db, producer, logger } = deps;
  // On every assistant and tool we hand VAPI, so that its messages pass the gateway's check.
  const server = vapiServer(config);
  const webTickets = new WebCallTickets(config.JWT_SECRET);
  // A raw route (served before Express): VAPI waits on assistant-request while the call starts.
  return internalJsonRoute({
    path: INTERNAL_PATHS.voice.vapiSync,
    secret: config.INTERNAL_API_SECRET,
    bodyLimitBytes: 2 * 1024 * 1024,
    handle: async (received, { correlationId }) => ({ status: 200, body: await answer(received, correlationId) }),
  });

  async function answer(received: unknown, correlationId: string): Promise<object> {
    // As the voice worker opens the queued messages, so that both read the same call id (a NUL dropped).
    const body = envelope.safeParse(fitForPostgres(received));
    if (!body.success) throw new AppError(400, 'invalid_envelope', 'A VAPI message carries { message: { type, ... } }.');
    const message = body.data.message as VapiMessage;
    switch (message.type) {
      case 'assistant-request':
        return answerAssistantRequest(message, correlationId, (received as { founder?: unknown }).founder);
      case 'tool-calls': {
        const founder = await founderOfCall(message, correlationId);
        return { results: await Promise.all(toolCallsOf(message).map((call) => answerToolCall(founder, call, correlationId))) };
      }
      case 'function-call': {
        const answered = await answerToolCall(await founderOfCall(message, correlationId), functionCallOf(message), correlationId);
        return { result: 'result' in answered ? answered.result : answered.error };
      }
      case 'transfer-destination-request':
        return config.VOICE_TRANSFER_NUMBER
          ? { destination: { type: 'number', number: config.VOICE_TRANSFER_NUMBER }, message: { type: 'request-start', content: 'Let me put you through to someone on our team.' } }
          : { error: 'Nobody is available to take the call right now. We will call you back.' };
      default:
        return hasStandingReply(message.type) ? VAPI_STANDING_REPLIES[message.type] : {};
    }
  }

  /**
   * The assistant for the founder's current stage, with their context as variable values and call metadata. The
   * founder comes with the message from the gateway, which owns the founders (`callerOf`): VAPI waits on this
   * answer, so nothing is asked back. The call's founder is recorded before the answer goes, so that the call
   * keeps its founder whatever VAPI echoes of the metadata.
   */
  async function answerAssistantRequest(message: VapiMessage, correlationId: string, sent: unknown) {
    const call = callOf(message, webTickets);
    const founder = callerOf(call.customerNumber, sent);
    if (founder === undefined) {
      logger.warn({ correlationId }, 'assistant-request without the caller from the gateway: apology sent');
      return { error: "Sorry, we can't take your call right now. Please try again in a few minutes." };
    }
    if (!founder) {
      // Recorded too: an intake call stays nobody's consultation, even once the caller registers in it.
      if (call.id) await recordCallFounder(call.id, null, correlationId);
      return { assistant: intakeAssistant(server) };
    }
    const stage = Math.min(Math.max(founder.currentCallStage, 1), 4) as Stage;
    const metadata = { userId: founder.id, callStage: stage };
    if (call.id) await recordCallFounder(call.id, metadata, correlationId);
    const chosen = founderAssistant(founder, stage, config, server, metadata);
    const variableValues = variableValuesOf(founder);
    // A saved assistant gets our server through the overrides, so that its messages carry our credential too.
    return 'assistantId' in chosen
      ? { ...chosen, assistantOverrides: { server, variableValues, metadata } }
      : { ...chosen, assistantOverrides: { variableValues, metadata } };
  }

  /**
   * Records the call's founder, waiting at most FOUNDER_RECORD_WAIT_MS: the caller hears nothing while VAPI
   * waits, and the metadata on the answer remains the fallback. A failure is logged, not thrown.
   */
  async function recordCallFounder(vapiCallId: string, metadata: CallMetadata | null, correlationId: string): Promise<void> {
    const values = metadata ? [vapiCallId, metadata.userId, metadata.callStage, 'assistant-request'] : [vapiCallId, null, null, 'intake'];
    const recorded = readAsOwner(db, 'voice', RECORD_CALL_FOUNDER, values).then(
      () => true,
      (error: unknown) => {
        logger.warn({ err: error, correlationId }, 'call founder not recorded at assistant-request; the call metadata names the founder');
        return true;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), FOUNDER_RECORD_WAIT_MS)));
    if (!(await Promise.race([recorded, late]))) logger.warn({ correlationId }, 'call founder not recorded in time; answered without waiting longer');
    clearTimeout(timer);
  }

  /**
   * The call a tool is used in, with its founder as the voice worker resolves it: the platform's record of the
   * call first (an intake call is nobody's), then our metadata wherever VAPI echoes it. Without the record (a
   * call whose assistant-request we did not answer, or the database late) the metadata decides.
   */
  async function founderOfCall(message: VapiMessage, correlationId: string): Promise<CallOfTool> {
    const call = callOf(message, webTickets);
    if (!call.id) return call;
    try {
      const [recorded] = await readAsOwner<{ user_id: string | null; call_stage: number | null }>(db, 'voice', RECORDED_CALL_FOUNDER, [call.id]);
      return withRecordedFounder(call, recorded && { userId: recorded.user_id, callStage: recorded.call_stage });
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message }, correlationId }, "call's founder record not read; the call metadata decides");
      return call;
    }
  }

  async function answerToolCall(founder: CallOfTool, call: ToolCall, correlationId: string): Promise<ToolResult> {
    const result = (text: string) => ({ toolCallId: call.id, name: call.name, result: oneLine(text) });
    const error = (text: string) => ({ toolCallId: call.id, name: call.name, error: oneLine(text) });
    if ('unreadable' in call.args) return error(`The arguments could not be read (${String(call.args.unreadable)}).`);
    switch (call.name) {
      case 'check_domain':
        return checkDomain(call.args, result, correlationId);
      case 'save_business_fact': {
        const field = typeof call.args.field === 'string' ? call.args.field.slice(0, 100) : '';
        const value = typeof call.args.value === 'string' ? call.args.value.slice(0, 2000) : '';
        if (!field || !value) return error('Both a field and a value are needed.');
        if (!founder.userId || !founder.id) return error('This call is not tied to a founder, so nothing was saved.');
        if (!Object.hasOwn(BUSINESS_FACT_ALIASES, field)) {
          return error(`Only these business facts can be saved: ${Object.keys(BUSINESS_FACT_NAMES).join(', ')}.`);
        }
        await producer.enqueue(
          'analysis',
          'record-business-fact',
          { v: 1, userId: founder.userId, vapiCallId: founder.id, toolCallId: call.id, field, value },
          { jobId: jobIdFrom('fact', call.id), correlationId },
        );
        return result(`Saved: ${field}.`);
      }
      case 'schedule_next_call': {
        if (!founder.userId || !founder.callStage) return error('This call is not tied to a founder, so no call was scheduled.');
        const stage = nextStage(founder.callStage);
        if (stage === null) return result('That was the last consultation; no further call is needed.');
        const at = typeof call.args.at === 'string' && !Number.isNaN(Date.parse(call.args.at)) ? new Date(call.args.at).toISOString() : undefined;
        await producer.enqueue(
          'voice',
          'schedule-next-call',
          { v: 1, userId: founder.userId, callStage: stage, ...(at ? { notBefore: at } : {}) },
          { jobId: jobIdFrom('next-call-tool', call.id), correlationId },
        );
        return result(at ? `The next call is planned for ${at}.` : 'The next call will be planned.');
      }
      case 'register_caller': {
        const email = typeof call.args.email === 'string' ? call.args.email.trim() : '';
        const name = typeof call.args.name === 'string' && call.args.name.trim() ? call.args.name.trim().slice(0, 200) : undefined;
        if (!founder.customerNumber) return error('The number this call comes from is hidden, so it cannot be registered.');
        if (!email) return error('An email address is needed to register.');
        try {
          const registration = await registerCaller(config, { phone: founder.customerNumber, email, name }, config.FOUNDER_LOOKUP_TIMEOUT_MS, correlationId);
          switch (registration.outcome) {
            case 'registered':
              return result('Registered. A confirmation email is on its way; the first consultation starts the next time they call this number.');
            case 'already-registered':
              return result('This number is already registered; the consultation starts the next time they call.');
            case 'email-taken':
              return result('That email address already has an account: they should sign in to the app and add this phone number to their profile.');
            default:
              return error(`The details were not accepted (${registration.message}); ask for the email address again.`);
          }
        } catch (failure) {
          logger.warn({ err: { message: (failure as Error).message } }, 'caller registration failed');
          return error('Registration is not available right now; they can sign up in the app with this number.');
        }
      }
      default:
        return error(`There is no tool called ${call.name || '(unnamed)'}.`);
    }
  }

  async function checkDomain(
    args: Record<string, unknown>,
    result: (text: string) => { toolCallId: string; name: string; result: string },
    correlationId: string,
  ) {
    const domain = typeof args.domain === 'string' ? args.domain.trim().toLowerCase() : '';
    if (!domain) return result('Which domain should I check?');
    try {
      const response = await callInternal(`${config.DOMAIN_SERVICE_URL}${INTERNAL_PATHS.domain.check}`, {
        headers: internalHeaders(config.INTERNAL_API_SECRET, correlationId),
        json: { domain, alternativesTlds: Array.isArray(args.alternativesTlds) ? args.alternativesTlds : undefined },
        timeoutMs: config.DOMAIN_CHECK_TIMEOUT_MS,
      });
      if (!response.ok) throw new Error(`domain check answered ${response.status}`);
      const checked = response.json<DomainCheckResponse>();
      const free = checked.alternatives.filter((a) => a.available).map((a) => a.domain);
      const verdict = checked.available === null ? `I could not tell whether ${domain} is free.` : checked.available ? `${domain} is available.` : `${domain} is taken.`;
      return result(free.length ? `${verdict} Available alternatives: ${free.join(', ')}.` : verdict);
    } catch {
      return result(`I could not check ${domain} right now; we can look at domains together after the call.`);
    }
  }
}
