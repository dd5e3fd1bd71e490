import type { Logger } from 'pino';
import { z } from 'zod';
import { BUSINESS_FACT_ALIASES, BUSINESS_FACT_NAMES, INTERNAL_PATHS, type DomainCheckResponse, type FounderCallContext } from '@dreamseed/contracts';
import { AppError, callInternal, internalHeaders, internalJsonRoute, jobIdFrom, type JobProducer, type RawRoute } from '@dreamseed/platform';
import { intakeAssistant, stageAssistant, type Stage } from '../assistants/stages';
import { fetchFounder, registerCaller } from '../gateway-client';
import type { VoiceConfig } from '../config';
import { callOf, type VapiMessage } from '../vapi/message';

const envelope = z.looseObject({ message: z.looseObject({ type: z.string().min(1) }) });

interface ToolCall {
  id: string;
  name: string;
  /** Parsed arguments, or the reason they could not be read. */
  args: Record<string, unknown> | { unreadable: string };
}

/** VAPI sends arguments as an object or as a JSON string, under `function` or flattened. */
function toolCallsOf(message: VapiMessage): ToolCall[] {
  const list = Array.isArray(message.toolCallList) ? message.toolCallList : [];
  return list.flatMap((item): ToolCall[] => {
    const call = (item ?? {}) as { id?: unknown; name?: unknown; arguments?: unknown; parameters?: unknown; function?: { name?: unknown; arguments?: unknown } };
    if (typeof call.id !== 'string') return [];
    const name = String(call.function?.name ?? call.name ?? '');
    const raw = call.function?.arguments ?? call.arguments ?? call.parameters ?? {};
    if (typeof raw === 'string') {
      try {
        const parsed: unknown = JSON.parse(raw);
        return [{ id: call.id, name, args: parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { unreadable: 'not an object' } }];
      } catch {
        return [{ id: call.id, name, args: { unreadable: 'not valid JSON' } }];
      }
    }
    return [{ id: call.id, name, args: raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : { unreadable: 'not an object' } }];
  });
}

/** A founder as the gateway sends it with an assistant-request (the shape of `FounderCallContext`). */
function isFounderContext(value: unknown): value is FounderCallContext {
  const founder = value as Partial<FounderCallContext> | null;
  return typeof founder === 'object' && founder !== null && typeof founder.id === 'string' && typeof founder.currentCallStage === 'number' && typeof founder.assistantType === 'string';
}

/** Tool results are single-line strings (VAPI's rule). */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 1000);

/**
 * The voice service's answers to VAPI's synchronous messages, reached through the gateway (which holds the
 * deadline and the fallback). Every answer is a 200 with something VAPI can use; failures become spoken errors.
 */
export function vapiSyncRoute(config: VoiceConfig, producer: JobProducer, logger: Logger): RawRoute {
  // A raw route (served before Express): VAPI waits on assistant-request while the call starts.
  return internalJsonRoute({
    path: INTERNAL_PATHS.voice.vapiSync,
    secret: config.INTERNAL_API_SECRET,
    bodyLimitBytes: 2 * 1024 * 1024,
    handle: async (received, { correlationId }) => ({ status: 200, body: await answer(received, correlationId) }),
  });

  async function answer(received: unknown, correlationId: string) {
    const body = envelope.safeParse(received);
    if (!body.success) throw new AppError(400, 'invalid_envelope', 'A VAPI message carries { message: { type, ... } }.');
    const message = body.data.message as VapiMessage;
    switch (message.type) {
      case 'assistant-request':
        return answerAssistantRequest(message, correlationId, (received as { founder?: unknown }).founder);
      case 'tool-calls':
        return { results: await Promise.all(toolCallsOf(message).map((call) => answerToolCall(message, call, correlationId))) };
      case 'transfer-destination-request':
        return config.VOICE_TRANSFER_NUMBER
          ? { destination: { type: 'number', number: config.VOICE_TRANSFER_NUMBER }, message: { type: 'request-start', message: 'Let me put you through to someone on our team.' } }
          : { error: 'Nobody is available to take the call right now. We will call you back.' };
      default:
        return { documents: [] };
    }
  }

  /**
   * The assistant for the founder's current stage, with their context as variable values and call metadata.
   * `given` is the founder the gateway found calling from the number (null: nobody), sent along so that no call
   * back is needed; without it (the gateway could not say), the number is looked up here.
   */
  async function answerAssistantRequest(message: VapiMessage, correlationId: string, given: unknown) {
    const call = callOf(message);
    let founder: FounderCallContext | null;
    try {
      founder = isFounderContext(given) || given === null
        ? given
        : call.customerNumber
          ? await fetchFounder(config, { phone: call.customerNumber }, config.FOUNDER_LOOKUP_TIMEOUT_MS, correlationId)
          : null;
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'founder lookup failed');
      return { error: "Sorry, we can't take your call right now. Please try again in a few minutes." };
    }
    if (!founder) return { assistant: intakeAssistant(config.VAPI_SERVER_URL) };
    const stage = Math.min(Math.max(founder.currentCallStage, 1), 4) as Stage;
    const assistantOverrides = {
      variableValues: {
        founderName: founder.customerName ?? 'there',
        businessName: founder.businessName ?? 'your business',
        whatWeFound: founder.businessType ? `a ${founder.businessType} business` : 'your idea',
      },
      metadata: { userId: founder.id, callStage: stage },
    };
    if (founder.assistantType === 'individual' && founder.individualAssistantId) {
      return { assistantId: founder.individualAssistantId, assistantOverrides };
    }
    const shared = config[`VAPI_ASSISTANT_ID_STAGE_${stage}` as const];
    return shared ? { assistantId: shared, assistantOverrides } : { assistant: stageAssistant(stage, config.VAPI_SERVER_URL), assistantOverrides };
  }

  async function answerToolCall(message: VapiMessage, call: ToolCall, correlationId: string) {
    const result = (text: string) => ({ toolCallId: call.id, name: call.name, result: oneLine(text) });
    const error = (text: string) => ({ toolCallId: call.id, name: call.name, error: oneLine(text) });
    if ('unreadable' in call.args) return error(`The arguments could not be read (${String(call.args.unreadable)}).`);
    const founder = callOf(message);
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
        if (founder.callStage >= 4) return result('That was the last consultation; no further call is needed.');
        const at = typeof call.args.at === 'string' && !Number.isNaN(Date.parse(call.args.at)) ? new Date(call.args.at).toISOString() : undefined;
        await producer.enqueue(
          'voice',
          'schedule-next-call',
          { v: 1, userId: founder.userId, callStage: founder.callStage + 1, ...(at ? { notBefore: at } : {}) },
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
