/**
 * The four consultation assistants, versioned in code: what each stage is for, how it opens, what it must
 * find out, and the tools it may call. A shared assistant kept in VAPI (VAPI_ASSISTANT_ID_STAGE_N) takes
 * precedence; these definitions are what the platform sends otherwise, and what such assistants are built from.
 */
import { BUSINESS_FACT_NAMES, type FounderCallContext } from '@dreamseed/contracts';
import type { VoiceConfig } from '../config';
import { INTAKE_PURPOSE } from '../vapi/message';
import type { VapiServer } from '../vapi/server';

export const ASSISTANTS_VERSION = '2026-12-02.1';

export type Stage = 1 | 2 | 3 | 4;

interface StageDefinition {
  key: 'discovery' | 'positioning' | 'brand' | 'formation';
  name: string;
  firstMessage: string;
  goals: string[];
  tools: ToolName[];
}

export type ToolName = 'check_domain' | 'save_business_fact' | 'schedule_next_call' | 'register_caller';

export const STAGES: Record<Stage, StageDefinition> = {
  1: {
    key: 'discovery',
    name: 'DreamSeed discovery',
    firstMessage: "Hi {{founderName}}, I'm your DreamSeed guide. Let's start with the problem you want to solve. What made you want to start this business?",
    goals: ['the problem the business solves', 'who it serves', 'the founder: experience and motivation'],
    tools: ['save_business_fact', 'schedule_next_call'],
  },
  2: {
    key: 'positioning',
    name: 'DreamSeed positioning',
    firstMessage: "Welcome back, {{founderName}}. Last time we talked about {{whatWeFound}}. Today: what makes {{businessName}} different?",
    goals: ['how it differs from alternatives', 'the main service or product', 'the price level: budget, mid-market or premium'],
    tools: ['save_business_fact', 'schedule_next_call'],
  },
  3: {
    key: 'brand',
    name: 'DreamSeed brand',
    firstMessage: "Hi {{founderName}}, today is about how {{businessName}} looks and sounds. How should customers feel when they meet your brand?",
    goals: ['the brand vibe: professional, bold, friendly or elegant', 'colours: cool, vibrant or minimal', 'names and domain ideas'],
    tools: ['check_domain', 'save_business_fact', 'schedule_next_call'],
  },
  4: {
    key: 'formation',
    name: 'DreamSeed formation',
    firstMessage: "Hi {{founderName}}, last step: let's get {{businessName}} formed. Have you thought about an LLC or a corporation?",
    goals: ['the entity type', 'the state of formation', 'the package', 'how urgent it is and the timeline'],
    tools: ['save_business_fact'],
  },
};

const TOOL_DEFINITIONS: Record<ToolName, { description: string; parameters: Record<string, unknown> }> = {
  check_domain: {
    description: 'Check whether a domain name is free to register, and suggest the same name under other endings.',
    parameters: {
      type: 'object',
      properties: {
        domain: { type: 'string', description: 'The full domain, for example brightbakery.com' },
        alternativesTlds: { type: 'array', items: { type: 'string' }, description: 'Other endings to try, like io or co' },
      },
      required: ['domain'],
    },
  },
  save_business_fact: {
    description: 'Save a fact about the business the founder just stated (name, type, state, entity type, urgency, timeline, package).',
    parameters: {
      type: 'object',
      properties: {
        field: { type: 'string', enum: Object.keys(BUSINESS_FACT_NAMES), description: 'Which fact it is' },
        value: { type: 'string', description: "The fact in the founder's words" },
      },
      required: ['field', 'value'],
    },
  },
  schedule_next_call: {
    description: 'Schedule the next consultation call when the founder agrees on a time.',
    parameters: { type: 'object', properties: { at: { type: 'string', description: 'ISO 8601 date and time' } } },
  },
  register_caller: {
    description: "Register the caller with DreamSeed under the number they are calling from, once they have agreed and spelled out their email address.",
    parameters: {
      type: 'object',
      properties: {
        email: { type: 'string', description: 'The email address, exactly as the caller spelled it' },
        name: { type: 'string', description: "The caller's name" },
      },
      required: ['email'],
    },
  },
};

/** Whose call it is: on the assistant-request answer's overrides, on a placed call's, and on the assistant itself. */
export interface CallMetadata {
  userId: string;
  callStage: number;
}

/** A web call's: the founder only through the ticket the platform signed (see web-call-ticket.ts). */
export interface WebCallMetadata {
  ticket: string;
  callStage: number;
}

const toolsOf = (names: ToolName[], server: VapiServer) =>
  names.map((name) => ({ type: 'function', function: { name, ...TOOL_DEFINITIONS[name] }, server }));

/**
 * The whole assistant for a stage, as VAPI's CreateAssistantDTO: its messages and its tools' calls go to `server`
 * (`vapiServer`). The call's metadata rides on the assistant too: VAPI records a transient assistant on
 * `call.assistant`, a place to find the founder when the overrides are not echoed.
 */
export function stageAssistant(stage: Stage, server: VapiServer, metadata: CallMetadata | WebCallMetadata) {
  const definition = STAGES[stage];
  const system = [
    `You are DreamSeed's ${definition.key} guide (assistants version ${ASSISTANTS_VERSION}), on a phone call with {{founderName}}.`,
    `In this call find out: ${definition.goals.join('; ')}.`,
    'Ask one question at a time, keep answers short, and save each fact with save_business_fact as soon as it is clear.',
    'What earlier calls found: {{whatWeFound}}.',
  ].join(' ');
  return {
    name: definition.name,
    firstMessage: definition.firstMessage,
    model: {
      provider: 'openai',
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: system }],
      tools: toolsOf(definition.tools, server),
    },
    server,
    serverMessages: ['status-update', 'end-of-call-report', 'conversation-update', 'tool-calls', 'hang', 'transfer-destination-request'],
    metadata,
  };
}

/** The shared assistants kept in VAPI, one per stage. */
type SharedAssistants = Pick<VoiceConfig, 'VAPI_ASSISTANT_ID_STAGE_1' | 'VAPI_ASSISTANT_ID_STAGE_2' | 'VAPI_ASSISTANT_ID_STAGE_3' | 'VAPI_ASSISTANT_ID_STAGE_4'>;

/**
 * The assistant that takes a founder's call at a stage, inbound or outbound: the founder's own, else the stage's
 * shared one kept in VAPI, else the stage's from code (transient, carrying `server` and `metadata` itself).
 */
export function founderAssistant(founder: FounderCallContext, stage: Stage, shared: SharedAssistants, server: VapiServer, metadata: CallMetadata | WebCallMetadata) {
  const assistantId =
    founder.assistantType === 'individual' && founder.individualAssistantId ? founder.individualAssistantId : shared[`VAPI_ASSISTANT_ID_STAGE_${stage}`];
  return assistantId ? { assistantId } : { assistant: stageAssistant(stage, server, metadata) };
}

/** What the assistants' prompts and first messages fill in about the founder (`{{founderName}}`, …). */
export function variableValuesOf(founder: FounderCallContext) {
  return {
    founderName: founder.customerName ?? 'there',
    businessName: founder.businessName ?? 'your business',
    whatWeFound: founder.businessType ? `a ${founder.businessType} business` : 'your idea',
  };
}

/**
 * For callers the platform does not know: a short intake that explains DreamSeed and, if they want to start,
 * registers them under the number they call from (`register_caller`); their next call is the first consultation.
 */
export function intakeAssistant(server: VapiServer) {
  return {
    name: 'DreamSeed intake',
    firstMessage: "Hi, you've reached DreamSeed. I don't recognise this number yet. Are you starting a business?",
    model: {
      provider: 'openai',
      model: 'gpt-4o-mini',
      messages: [
        {
          role: 'system',
          content: [
            `You are DreamSeed's intake guide (assistants version ${ASSISTANTS_VERSION}).`,
            'Explain that DreamSeed guides founders through four calls to form their business.',
            'If the caller wants to start, ask for their name and their email address, read the address back letter by letter, and once they confirm it call register_caller.',
            'Then tell them to confirm the address from the email we send, and that their first consultation starts the next time they call this number.',
          ].join(' '),
        },
      ],
      tools: toolsOf(['register_caller'], server),
    },
    server,
    serverMessages: ['status-update', 'end-of-call-report', 'tool-calls'],
    // Its calls are no consultation, whoever registers during them.
    metadata: { purpose: INTAKE_PURPOSE },
  };
}
