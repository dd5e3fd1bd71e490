/**
 * VAPI's own JSON schemas for its server messages and their replies (`fixtures/vapi/server-messages.schema.json`,
 * cut from VAPI's OpenAPI document by `extract-schemas.ts`), read as JSON Schema and checked with ajv.
 *
 * The file keeps VAPI's text; five habits of that OpenAPI document are adapted here, on load (README.md beside
 * the file says why each one matters):
 * - `oneOf` is read as `anyOf`: VAPI's unions are not exclusive (a bot turn in `artifact.messages` matches
 *   UserMessage, SystemMessage and BotMessage alike, since `role` is a free string), and its SDK types them as
 *   plain TypeScript unions.
 * - `pattern` written as a regex literal (`/^[a-z]+$/u`) becomes the pattern between the slashes.
 * - `enum` on an array (next to an `items` that holds the same enum) is dropped: it would compare the array with
 *   strings.
 * - `enum: []` (a voice with no preset ids) becomes `not: {}`, which JSON Schema can express.
 * - `type: object` beside an enum of strings (`server.backoffPlan.type`, `transferPlan.sipVerb`,
 *   `transport.audioFormat.format`) is dropped: no value could pass both, and VAPI sends the strings.
 * `nullable` (with `type`) and the date-time, uuid and uri formats are ajv's own (`ajv-formats`); `discriminator`,
 * `example` and `x-…` keys are annotations, ignored with `strict: false`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Vapi } from '@vapi-ai/server-sdk';

export type JsonSchema = Record<string, unknown>;

/** Every `message.type` VAPI defines (the SDK leaves `type` optional on tool-calls). */
export type VapiMessageType = NonNullable<Vapi.ServerMessageMessage['type']>;
type TypeOf<M> = M extends { type?: infer U } ? NonNullable<U> : never;
/** The SDK's type of the message of one type (the transcript schema carries two type values). */
export type VapiMessageOf<T extends VapiMessageType> = Vapi.ServerMessageMessage extends infer M
  ? M extends unknown
    ? T extends TypeOf<M>
      ? M
      : never
    : never
  : never;
export interface VapiDelivery<T extends VapiMessageType = VapiMessageType> {
  message: VapiMessageOf<T>;
}
/** The SDK's reply type of each message type VAPI waits on. */
export interface VapiReplies {
  'assistant-request': Vapi.ServerMessageResponseAssistantRequest;
  'handoff-destination-request': Vapi.ServerMessageResponseHandoffDestinationRequest;
  'knowledge-base-request': Vapi.ServerMessageResponseKnowledgeBaseRequest;
  'tool-calls': Vapi.ServerMessageResponseToolCalls;
  'transfer-destination-request': Vapi.ServerMessageResponseTransferDestinationRequest;
  'voice-request': Vapi.ServerMessageResponseVoiceRequest;
  'call.endpointing.request': Vapi.ServerMessageResponseCallEndpointingRequest;
  'campaign.predial': Vapi.ServerMessageResponseCampaignPredial;
}
export type VapiSyncType = keyof VapiReplies;
export interface VapiValidation {
  ok: boolean;
  /** One line per problem: where, then what (`/message/call/id must be string`). */
  errors: string[];
}

const SCHEMA_FILE = path.join(__dirname, '../../fixtures/vapi/server-messages.schema.json');
const REF = '#/components/schemas/';
const DOCUMENT_KEY = 'vapi';

const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not']);
const SCHEMA_LIST_KEYWORDS = new Set(['oneOf', 'anyOf', 'allOf']);

/** One schema adapted (see the header). Keyword-aware: a property named `oneOf` or an `example` stays as it is. */
function adaptToJsonSchema(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const adapted: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      adapted.properties = Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, adaptToJsonSchema(inner)]));
    } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
      adapted[key === 'oneOf' ? 'anyOf' : key] = value.map(adaptToJsonSchema);
    } else adapted[key] = SCHEMA_KEYWORDS.has(key) ? adaptToJsonSchema(value) : value;
  }
  if (typeof adapted.pattern === 'string') {
    const literal = /^\/(.*)\/([a-z]*)$/s.exec(adapted.pattern);
    if (literal && literal[2].replace('u', '')) throw new Error(`pattern ${adapted.pattern}: only the u flag can be carried over`);
    if (literal) adapted.pattern = literal[1];
  }
  if (Array.isArray(adapted.enum) && (adapted.type === 'array' || adapted.enum.length === 0)) {
    if (adapted.enum.length === 0) adapted.not = {};
    delete adapted.enum;
  }
  if (adapted.type === 'object' && Array.isArray(adapted.enum) && adapted.enum.every((value) => typeof value === 'string')) delete adapted.type;
  return adapted;
}

interface Loaded {
  schemas: Readonly<Record<string, JsonSchema>>;
  /** Message type → the name of its `ServerMessage*` schema, read from each schema's `type` enum. */
  messageSchemaNames: ReadonlyMap<string, string>;
}
let loaded: Loaded | undefined;

/** The schema file, read on first use: most users of this library never validate a VAPI message. */
function load(): Loaded {
  if (loaded) return loaded;
  const document = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { components: { schemas: Record<string, unknown> } };
  const schemas = Object.fromEntries(Object.entries(document.components.schemas).map(([name, schema]) => [name, adaptToJsonSchema(schema) as JsonSchema]));
  const messageSchemaNames = new Map(
    Object.entries(schemas)
      .filter(([name]) => name.startsWith('ServerMessage') && !name.startsWith('ServerMessageResponse'))
      .flatMap(([name, schema]) => (((schema.properties as Record<string, JsonSchema> | undefined)?.type?.enum ?? []) as string[]).map((type) => [type, name] as const)),
  );
  return (loaded = { schemas, messageSchemaNames });
}

/** VAPI's components, adapted to JSON Schema (see the header), by name. */
export const vapiComponentSchemas = () => load().schemas;

/** The component a `$ref` names. */
export function vapiSchemaAt(ref: string): JsonSchema {
  const schema = ref.startsWith(REF) ? load().schemas[ref.slice(REF.length)] : undefined;
  if (!schema) throw new Error(`no VAPI schema at ${ref}`);
  return schema;
}

/** The reply schema of a type: `ServerMessageResponseX` beside `ServerMessageX`. */
const replySchemaName = (type: string) => {
  const name = load().messageSchemaNames.get(type)?.replace(/^ServerMessage/, 'ServerMessageResponse');
  return name && name in load().schemas ? name : undefined;
};

/** What the schema file defines: every message type, and those with a reply schema. */
export function vapiSchemaTypes(): { messageTypes: string[]; syncTypes: string[] } {
  const messageTypes = [...load().messageSchemaNames.keys()];
  return { messageTypes, syncTypes: messageTypes.filter((type) => replySchemaName(type) !== undefined) };
}

/**
 * Every message type VAPI defines, in the schema's order. Listed here so that reading it costs nothing; the
 * compiler holds it to the SDK's types, and `fixtures.spec.ts` to the schema file (`vapiSchemaTypes`).
 */
export const VAPI_MESSAGE_TYPES = [
  'assistant-request',
  'conversation-update',
  'end-of-call-report',
  'handoff-destination-request',
  'hang',
  'knowledge-base-request',
  'model-output',
  'phone-call-control',
  'speech-update',
  'status-update',
  'tool-calls',
  'transfer-destination-request',
  'transfer-update',
  'transcript',
  'transcript[transcriptType="final"]',
  'user-interrupted',
  'language-change-detected',
  'voice-input',
  'assistant.speechStarted',
  'voice-request',
  'call.endpointing.request',
  'chat.created',
  'chat.deleted',
  'session.created',
  'session.updated',
  'session.deleted',
  'call.deleted',
  'call.delete.failed',
  'call.artifact.upload',
  'campaign.predial',
] as const satisfies readonly VapiMessageType[];

/** The types VAPI waits on for an answer: those with a `ServerMessageResponse*` schema. */
export const VAPI_SYNC_TYPES = [
  'assistant-request',
  'handoff-destination-request',
  'knowledge-base-request',
  'tool-calls',
  'transfer-destination-request',
  'voice-request',
  'call.endpointing.request',
  'campaign.predial',
] as const satisfies readonly VapiSyncType[];

export function vapiMessageSchemaName(type: string): string {
  const name = load().messageSchemaNames.get(type);
  if (!name) throw new Error(`VAPI defines no message type ${JSON.stringify(type)}`);
  return name;
}

// Compiling reaches most of the 430 components (a call carries its assistant, and that every model, voice and
// tool): about a second, once per process, on the first validation.
let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function validatorFor(schemaName: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ components: { schemas: load().schemas } }, DOCUMENT_KEY);
  }
  let validate = validators.get(schemaName);
  if (!validate) {
    validate = ajv.getSchema(`${DOCUMENT_KEY}${REF}${schemaName}`);
    if (!validate) throw new Error(`no VAPI schema ${schemaName}`);
    validators.set(schemaName, validate);
  }
  return validate;
}

const MAX_ERRORS = 12;

/**
 * ajv's errors as lines, the deepest first: within a union every branch reports, and the branch that matched
 * furthest (the one meant) fails deepest.
 */
function describe(errors: ErrorObject[] | null | undefined, prefix: string): string[] {
  const depth = (error: ErrorObject) => error.instancePath.split('/').length;
  const lines = [...(errors ?? [])]
    .sort((a, b) => depth(b) - depth(a))
    .map((error) => {
      const allowed = error.keyword === 'enum' ? ` (${JSON.stringify(error.params.allowedValues).slice(0, 120)})` : '';
      return `${prefix}${error.instancePath} ${error.message ?? error.keyword}${allowed}`;
    });
  const distinct = [...new Set(lines)];
  return distinct.length > MAX_ERRORS ? [...distinct.slice(0, MAX_ERRORS), `… and ${distinct.length - MAX_ERRORS} more`] : distinct;
}

function check(schemaName: string, value: unknown, prefix: string): VapiValidation {
  const validate = validatorFor(schemaName);
  const ok = validate(value);
  return { ok, errors: ok ? [] : describe(validate.errors, prefix) };
}

/** A delivery `{ message: {...} }` against the `ServerMessage*` schema of its `message.type`. */
export function validateVapiMessage(delivery: unknown): VapiValidation {
  const message = (delivery as { message?: unknown } | null)?.message;
  if (!message || typeof message !== 'object' || Array.isArray(message)) return { ok: false, errors: ['/message must be an object'] };
  const type = (message as { type?: unknown }).type;
  if (typeof type !== 'string' || !load().messageSchemaNames.has(type)) {
    return { ok: false, errors: [`/message/type ${JSON.stringify(type)} is no type VAPI defines`] };
  }
  return check(vapiMessageSchemaName(type), message, '/message');
}

/**
 * A reply to a synchronous message, bare as VAPI's docs and examples send it (`{ results: [...] }`), against
 * the matching `ServerMessageResponse*` schema. (The spec wraps replies as `{ messageResponse: ... }`; VAPI
 * reads the bare object.)
 */
export function validateVapiReply(type: string, reply: unknown): VapiValidation {
  const schemaName = replySchemaName(type);
  if (!schemaName) return { ok: false, errors: [`VAPI expects no reply to ${JSON.stringify(type)}`] };
  return check(schemaName, reply, '');
}
