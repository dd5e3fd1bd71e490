import { founderContext } from '../__fixtures__/founder-context';
import { nextStage } from '../calls/next-call';
import { INTAKE_PURPOSE } from '../vapi/message';
import type { VapiServer } from '../vapi/server';
import { founderAssistant, intakeAssistant, stageAssistant, STAGES, variableValuesOf, type Stage } from './stages';

const STAGE_LIST = [1, 2, 3, 4] as const satisfies readonly Stage[];
const server: VapiServer = { url: 'https://gateway.example/webhooks/vapi', timeoutSeconds: 10, credentialId: 'cred-1' };
const founder = founderContext;
const shared = { VAPI_ASSISTANT_ID_STAGE_1: 'shared-1', VAPI_ASSISTANT_ID_STAGE_2: undefined, VAPI_ASSISTANT_ID_STAGE_3: 'shared-3', VAPI_ASSISTANT_ID_STAGE_4: undefined };
const toolNames = (assistant: { model: { tools: { function: { name: string } }[] } }) => assistant.model.tools.map((tool) => tool.function.name);
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]);

describe('the stage assistants', () => {
  it.each(STAGE_LIST)('stage %s offers to schedule a next call exactly when a next stage follows it', (stage) => {
    expect(STAGES[stage].tools.includes('schedule_next_call')).toBe(nextStage(stage) !== null);
  });

  it('has four distinct stages in the consultation order', () => {
    expect(STAGE_LIST.map((stage) => STAGES[stage].key)).toEqual(['discovery', 'positioning', 'brand', 'formation']);
    expect(new Set(STAGE_LIST.map((stage) => STAGES[stage].name)).size).toBe(4);
  });

  it.each(STAGE_LIST)('stage %s fills in only the variables the platform sends', (stage) => {
    const assistant = stageAssistant(stage, server, { userId: 'u-1', callStage: stage });
    const known = Object.keys(variableValuesOf(founder()));
    for (const text of [assistant.firstMessage, ...assistant.model.messages.map((m) => m.content)]) {
      for (const name of placeholders(text)) expect(known).toContain(name);
    }
  });

  it.each(STAGE_LIST)("stage %s sends its messages and its tools' calls to the platform, with the call's metadata", (stage) => {
    const assistant = stageAssistant(stage, server, { userId: 'u-1', callStage: stage });
    expect(assistant.server).toBe(server);
    expect(assistant.metadata).toEqual({ userId: 'u-1', callStage: stage });
    expect(toolNames(assistant)).toEqual(STAGES[stage].tools);
    for (const tool of assistant.model.tools) expect(tool.server).toBe(server);
    expect(assistant.serverMessages).toContain('end-of-call-report');
    expect(assistant.serverMessages).toContain('tool-calls');
    for (const goal of STAGES[stage].goals) expect(assistant.model.messages[0]?.content).toContain(goal);
  });

  it("takes the founder's own assistant first, then the stage's shared one, then the stage's from code", () => {
    const metadata = { userId: 'u-1', callStage: 1 };
    expect(founderAssistant(founder({ assistantType: 'individual', individualAssistantId: 'own' }), 1, shared, server, metadata)).toEqual({ assistantId: 'own' });
    expect(founderAssistant(founder({ assistantType: 'individual', individualAssistantId: null }), 1, shared, server, metadata)).toEqual({ assistantId: 'shared-1' });
    expect(founderAssistant(founder({ individualAssistantId: 'own' }), 3, shared, server, metadata)).toEqual({ assistantId: 'shared-3' });
    expect(founderAssistant(founder(), 2, shared, server, { userId: 'u-1', callStage: 2 })).toEqual({ assistant: stageAssistant(2, server, { userId: 'u-1', callStage: 2 }) });
  });

  it('speaks of the founder in plain words when the profile says little', () => {
    expect(variableValuesOf(founder())).toEqual({ founderName: 'Ada', businessName: 'Seed Bakery', whatWeFound: 'a bakery business' });
    expect(variableValuesOf(founder({ customerName: null, businessName: null, businessType: null }))).toEqual({
      founderName: 'there',
      businessName: 'your business',
      whatWeFound: 'your idea',
    });
  });

  it('gives unknown callers an intake that can only register them, marked as no consultation', () => {
    const intake = intakeAssistant(server);
    expect(toolNames(intake)).toEqual(['register_caller']);
    expect(intake.metadata).toEqual({ purpose: INTAKE_PURPOSE });
    expect(placeholders(intake.firstMessage)).toEqual([]);
  });
});
