import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { vapiFixtureFileName, vapiMessageFixture, vapiReplyFixture } from './fixtures';
import { VAPI_MESSAGE_TYPES, VAPI_SYNC_TYPES, validateVapiMessage, validateVapiReply, vapiSchemaTypes } from './schema';

// The SDK types are checked by the compiler (fixtures.ts); here the fixtures meet VAPI's JSON schema.
const FIXTURES = path.join(__dirname, '../../fixtures/vapi');
const read = (folder: string, file: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, folder, file), 'utf8'));
const filesIn = (folder: string) => readdirSync(path.join(FIXTURES, folder)).sort();

describe('VAPI message types', () => {
  it('are the types the schema file defines, and the synchronous ones those with a reply schema', () => {
    const { messageTypes, syncTypes } = vapiSchemaTypes();
    expect([...VAPI_MESSAGE_TYPES]).toEqual(messageTypes);
    expect([...VAPI_SYNC_TYPES]).toEqual(syncTypes);
  });

  it('each have a fixture delivery, and each synchronous one a fixture reply, with no file left over', () => {
    expect(filesIn('messages')).toEqual(VAPI_MESSAGE_TYPES.map(vapiFixtureFileName).sort());
    expect(filesIn('replies')).toEqual(VAPI_SYNC_TYPES.map(vapiFixtureFileName).sort());
  });
});

describe('fixture deliveries', () => {
  it.each(VAPI_MESSAGE_TYPES)('%s validates against VAPI’s schema for its type', (type) => {
    const delivery = read('messages', vapiFixtureFileName(type)) as { message: { type: string } };
    expect(delivery.message.type).toBe(type);
    expect(validateVapiMessage(delivery)).toEqual({ ok: true, errors: [] });
    expect(vapiMessageFixture(type)).toEqual(delivery);
  });

  it('hand out copies', () => {
    const report = vapiMessageFixture('end-of-call-report');
    report.message.analysis.summary = 'changed';
    expect(vapiMessageFixture('end-of-call-report').message.analysis.summary).not.toBe('changed');
  });

  it('include an end-of-call report the way VAPI sends one: history from the system prompt, tool items, legacy fields', () => {
    const report = read('messages', 'end-of-call-report.json') as { message: Record<string, unknown> & { artifact: { messages: { role: string }[] } } };
    const roles = report.message.artifact.messages.map((item) => item.role);
    expect(roles[0]).toBe('system');
    expect(roles).toEqual(expect.arrayContaining(['bot', 'user', 'tool_calls', 'tool_call_result']));
    expect(report.message).toMatchObject({ durationSeconds: 202.5, durationMs: 202500, durationMinutes: 3.375 });
    expect(report.message).toHaveProperty('summary');
    expect(report.message).toHaveProperty('transcript');
    expect(report.message).toHaveProperty('recordingUrl');
    expect(report.message).toHaveProperty('call.assistantOverrides.metadata');
  });
});

describe('fixture replies', () => {
  it.each(VAPI_SYNC_TYPES)('%s validates against the reply schema of its type', (type) => {
    const reply = read('replies', vapiFixtureFileName(type));
    expect(validateVapiReply(type, reply)).toEqual({ ok: true, errors: [] });
    expect(vapiReplyFixture(type)).toEqual(reply);
  });
});

describe('the validators', () => {
  it('name what is wrong, deepest first', () => {
    const report = vapiMessageFixture('end-of-call-report');
    Object.assign(report.message, { endedReason: 'hangup' });
    Object.assign(report.message.artifact.messages?.[1] ?? {}, { time: 'soon' });
    const { ok, errors } = validateVapiMessage(report);
    expect(ok).toBe(false);
    expect(errors[0]).toBe('/message/artifact/messages/1/time must be number');
    expect(errors).toContainEqual(expect.stringMatching(/^\/message\/endedReason must be equal to one of the allowed values/));
  });

  it('refuse a body that is no delivery, a type VAPI does not define, and a reply to a message that needs none', () => {
    expect(validateVapiMessage({ type: 'hang' }).ok).toBe(false);
    expect(validateVapiMessage({ message: { type: 'call.started' } }).errors).toEqual(['/message/type "call.started" is no type VAPI defines']);
    expect(validateVapiReply('status-update', {}).errors).toEqual(['VAPI expects no reply to "status-update"']);
    expect(validateVapiReply('tool-calls', { results: [{ toolCallId: 'call_1', result: 'ok' }] }).errors).toEqual(["/results/0 must have required property 'name'"]);
  });

  it('read the OpenAPI habits the way VAPI means them', () => {
    const toolCalls = vapiMessageFixture('tool-calls');
    // A regex literal as `pattern`: the name is checked against what lies between the slashes.
    Object.assign(toolCalls.message.assistant?.model ?? {}, { tools: [{ type: 'function', function: { name: 'check domain' } }] });
    expect(validateVapiMessage(toolCalls).errors[0]).toBe('/message/assistant/model/tools/0/function/name must match pattern "^[a-zA-Z0-9_-]{1,64}$"');
    // `type: object` beside an enum of strings: the strings pass.
    const status = vapiMessageFixture('status-update');
    Object.assign(status.message.assistant?.server ?? {}, { backoffPlan: { type: 'exponential', maxRetries: 2, baseDelaySeconds: 1.5 } });
    expect(validateVapiMessage(status)).toEqual({ ok: true, errors: [] });
  });
});
