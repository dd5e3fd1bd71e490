/**
 * fast-check arbitraries for VAPI deliveries, derived from VAPI's JSON schemas (`schema.ts`), so every value
 * they make validates against the schema of its type, while leaning on what breaks receivers: fractions
 * wherever the schema says `number`, optional fields present or missing, `null` where a field is nullable,
 * unknown extra fields wherever an object allows them, long and non-ASCII text (emoji, CJK, right-to-left,
 * combining marks, NUL), every enum value.
 *
 * A call message reaches most of VAPI's 430 schemas (the call carries its assistant, and that every model,
 * voice and tool), so the tree is bounded: optional fields thin out with depth and stop at OPTIONAL_DEPTH,
 * arrays stay short, and the arbitrary for a schema is built the first time a sample reaches it. That keeps
 * 1,000 end-of-call reports at about half a second (`arbitraries.spec.ts` measures it; re-measure after
 * changing the budgets).
 */
import fc from 'fast-check';
import { VAPI_UNSTORABLE_TEXT } from '@dreamseed/contracts';
import {
  vapiMessageSchemaName,
  vapiSchemaAt,
  vapiComponentSchemas,
  type JsonSchema,
  type VapiDelivery,
  type VapiMessageType,
} from './schema';

type Arbitrary = fc.Arbitrary<unknown>;

/** Below this object depth (the message is 0) only required fields are made. */
const OPTIONAL_DEPTH = 4;
/** How many optional fields an object gets at most, by depth; the message itself may get all of its own. */
const OPTIONAL_FIELDS = [Infinity, 6, 3, 2];
const longestArray = (depth: number) => (depth <= 1 ? 4 : 2);

// ---- text ------------------------------------------------------------------------------------------------

/** Text that has broken parsers, databases and logs: joined ZWJ emoji, CJK, RTL, combining marks, NUL. */
const HARD_TEXT = [
  '👩🏽‍💻',
  '🍞🥐 🎉',
  '面包店的名字',
  'パン屋さん',
  'مخبز الحي',
  'מאפייה שכונתית',
  'Cafe\u0301 cre\u0300me brûlée',
  'Z\u0364\u0351a\u0351l\u032Fg\u0337o',
  '\u202Eevil\u202C',
  'zero\u200Bwidth',
  'a\u0000b',
  '\u0000',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  "O'Brien \"quoted\" \\ back",
  'line one\nline two\r\n\ttabbed',
];

const codePoints = (text: string) => Array.from(text);
const LONG_TEXT = [...HARD_TEXT, 'Lorem ipsum dolor sit amet. '].map((chunk) => codePoints(chunk.repeat(Math.ceil(6000 / codePoints(chunk).length))));

const textPieces = fc.array(
  fc.oneof(
    { arbitrary: fc.lorem({ maxCount: 6 }), weight: 60 },
    { arbitrary: fc.constantFrom(...HARD_TEXT), weight: 20 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 20 },
    // Now and then several kilobytes: a long transcript, a pasted document.
    {
      arbitrary: fc.tuple(fc.constantFrom(...LONG_TEXT), fc.integer({ min: 1000, max: 6000 })).map(([points, length]) => points.slice(0, length).join('')),
      weight: 2,
    },
  ),
  { minLength: 1, maxLength: 3 },
);

function text({ minLength = 0, maxLength = Infinity }: { minLength?: number; maxLength?: number }): fc.Arbitrary<string> {
  return textPieces.map((pieces) => {
    const joined = pieces.join(' ');
    // Lengths as JSON Schema counts them, in code points: a string has at most as many as UTF-16 units, and at
    // least half as many.
    if (joined.length <= maxLength && joined.length >= 2 * minLength) return joined;
    const points = codePoints(joined).slice(0, maxLength);
    while (points.length < minLength) points.push('x');
    return points.join('');
  });
}

const FORMATS: Record<string, Arbitrary> = {
  'date-time': fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  uuid: fc.uuid(),
  // Not fc.webUrl(): building it takes over a second, for URLs no VAPI field needs.
  uri: fc
    .tuple(
      fc.constantFrom('https://', 'http://', 'wss://'),
      fc.constantFrom('api.example.com', 'storage.vapi.ai', 'xn--bcher-kva.example', '127.0.0.1:8080'),
      fc.array(fc.constantFrom('webhooks', 'vapi', 'call', '2026', 'a%20b', '%C3%BC', '~x', ''), { maxLength: 4 }),
      fc.constantFrom('', '?q=1&lang=de', '#frag'),
    )
    .map(([scheme, host, path, rest]) => `${scheme}${host}/${path.join('/')}${rest}`),
};

function string(schema: JsonSchema): Arbitrary {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = (schema.maxLength as number | undefined) ?? Infinity;
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  if (format) return format;
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern, 'u');
    return fc.stringMatching(pattern).filter((value) => codePoints(value).length >= minLength && codePoints(value).length <= maxLength);
  }
  return text({ minLength, maxLength });
}

// ---- numbers ---------------------------------------------------------------------------------------------

function number(schema: JsonSchema, integer: boolean): Arbitrary {
  const minimum = schema.minimum as number | undefined;
  const maximum = schema.maximum as number | undefined;
  const min = Math.max(minimum ?? Math.min(-1e6, maximum ?? 0), -Number.MAX_SAFE_INTEGER);
  const max = Math.min(maximum ?? Math.max(2e12, min), Number.MAX_SAFE_INTEGER);
  const scaled = (scale: number) =>
    Math.ceil(min * scale) <= Math.floor(max * scale)
      ? [fc.integer({ min: Math.ceil(min * scale), max: Math.floor(max * scale) }).map((n) => n / scale)]
      : [];
  const [whole] = scaled(1);
  if (integer) {
    if (!whole) throw new Error(`no integer between ${min} and ${max}`);
    return whole;
  }
  const [cents] = scaled(100);
  return fc.oneof(
    ...(whole ? [{ arbitrary: whole, weight: 2 }] : []),
    { arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), weight: 2 },
    // Fractions of the size VAPI sends: durations, costs, latencies.
    ...(cents ? [{ arbitrary: cents, weight: 3 }] : []),
  );
}

// ---- free JSON -------------------------------------------------------------------------------------------

const fieldName = fc.oneof(
  fc.constantFrom('x_extra', 'vendorField', 'debug', 'requestId', 'region', 'v', '__proto__x', 'ключ', '名前'),
  fc.string({ minLength: 1, maxLength: 16 }),
);

/** Any JSON, kept small: what VAPI puts in a free-form object (metadata, structured data, tool output). */
const anyJson: Arbitrary = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    number({}, false),
    text({ maxLength: 200 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fieldName, tie('value'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).value;

// ---- schemas ---------------------------------------------------------------------------------------------

const built = new WeakMap<JsonSchema, Map<number, Arbitrary | null>>();

/** Built on first use: a union or an optional field is only built when a sample picks it. */
const lazy = (build: () => Arbitrary): Arbitrary => {
  let arbitrary: Arbitrary | undefined;
  return fc.constant(null).chain(() => (arbitrary ??= build()));
};

const ANNOTATIONS = ['$ref', 'description', 'title', 'example', 'examples', 'default', 'deprecated', 'discriminator', 'writeOnly'];
const withoutKeys = (schema: JsonSchema, keys: string[]) => Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));

/** A `$ref` or `allOf` folded into one schema (VAPI's allOf wraps a single `$ref` to add a description). */
function flatten(schema: JsonSchema): JsonSchema {
  if (typeof schema.$ref === 'string') return flatten({ ...withoutKeys(schema, ANNOTATIONS), ...vapiSchemaAt(schema.$ref) });
  if (Array.isArray(schema.allOf)) {
    return flatten((schema.allOf as JsonSchema[]).reduce<JsonSchema>((merged, part) => ({ ...merged, ...flatten(part) }), withoutKeys(schema, ['allOf'])));
  }
  return schema;
}

/** An arbitrary for values valid against `schema`, or null when none is (an empty enum). */
function arbitraryFor(schema: JsonSchema, depth: number): Arbitrary | null {
  let byDepth = built.get(schema);
  if (!byDepth) built.set(schema, (byDepth = new Map()));
  if (!byDepth.has(depth)) byDepth.set(depth, build(flatten(schema), depth));
  return byDepth.get(depth) ?? null;
}

function build(schema: JsonSchema, depth: number): Arbitrary | null {
  if (depth > 40) throw new Error('VAPI schema recursion through required fields only: cannot bound it');
  if ('not' in schema) return null;
  const values = Array.isArray(schema.enum) ? (schema.enum as unknown[]) : undefined;
  const arbitrary = values ? fc.constantFrom(...values) : union(schema, depth) ?? byType(schema, depth);
  if (!arbitrary) return null;
  // An OpenAPI nullable field, sometimes null (not where an enum leaves null out).
  return schema.nullable === true && !values ? fc.option(arbitrary, { nil: null, freq: 5 }) : arbitrary;
}

function union(schema: JsonSchema, depth: number): Arbitrary | null | undefined {
  if (!Array.isArray(schema.anyOf)) return undefined;
  const rest = withoutKeys(schema, ['anyOf', 'nullable']);
  const branches = (schema.anyOf as JsonSchema[])
    .map((branch) => flatten({ ...rest, ...flatten(branch) }))
    .filter((branch) => !('not' in branch) && !(Array.isArray(branch.enum) && branch.enum.length === 0));
  if (!branches.length) return null;
  // Whether a branch admits a value is only known once it is built; VAPI's schemas have no branch that admits
  // none below its top level (the spec would catch one by the invalid `undefined` it makes).
  return fc.oneof(...branches.map((branch) => lazy(() => arbitraryFor(branch, depth) ?? fc.constant(undefined))));
}

function byType(schema: JsonSchema, depth: number): Arbitrary | null {
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'string':
      return string(schema);
    case 'number':
    case 'integer':
      return number(schema, type === 'integer');
    case 'boolean':
      return fc.boolean();
    case 'array':
      return array(schema, depth);
    case 'object':
      return object(schema, depth);
    default:
      return anyJson;
  }
}

function array(schema: JsonSchema, depth: number): Arbitrary | null {
  const minLength = (schema.minItems as number | undefined) ?? 0;
  const maxLength = Math.max(minLength, Math.min((schema.maxItems as number | undefined) ?? Infinity, longestArray(depth)));
  const items = schema.items ? arbitraryFor(schema.items as JsonSchema, depth + 1) : anyJson;
  if (!items) return minLength === 0 ? fc.constant([]) : null;
  return fc.array(items, { minLength, maxLength });
}

function object(schema: JsonSchema, depth: number): Arbitrary | null {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const field = (name: string) => (properties[name] ? arbitraryFor(properties[name], depth + 1) : anyJson);

  const requiredFields: Record<string, Arbitrary> = {};
  for (const name of required) {
    const arbitrary = field(name);
    if (!arbitrary) return null;
    requiredFields[name] = arbitrary;
  }
  const optional = depth < OPTIONAL_DEPTH ? Object.keys(properties).filter((name) => !required.has(name)) : [];
  const chosenFields = fc.subarray(optional, { maxLength: Math.min(optional.length, OPTIONAL_FIELDS[depth] ?? 0) }).chain((names) =>
    fc.record(Object.fromEntries(names.flatMap((name) => (field(name) ? [[name, field(name) as Arbitrary]] : [])))),
  );
  const extra = extraFields(schema, properties, depth);
  return fc.tuple(fc.record(requiredFields), chosenFields, extra).map(([fixed, chosen, more]) => ({ ...more, ...fixed, ...chosen }));
}

/** Fields the schema does not name: typed by `additionalProperties` when it is a schema, any JSON when open. */
function extraFields(schema: JsonSchema, properties: Record<string, JsonSchema>, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const additional = schema.additionalProperties;
  if (additional === false) return fc.constant({});
  const values = additional && typeof additional === 'object' ? arbitraryFor(additional as JsonSchema, depth + 1) : anyJson;
  if (!values) return fc.constant({});
  const unnamed = fieldName.filter((name) => !(name in properties));
  const entries = fc.dictionary(unnamed, values, { minKeys: 1, maxKeys: depth <= 1 ? 3 : 1, noNullPrototype: true });
  return fc.oneof({ arbitrary: fc.constant({}), weight: 6 }, { arbitrary: entries, weight: 1 });
}

// ---- deliveries ------------------------------------------------------------------------------------------

export interface VapiDeliveryOptions {
  /** Every delivery carries a call with this id. */
  callId?: string;
  callType?: 'inboundPhoneCall' | 'outboundPhoneCall' | 'webCall' | 'vapi.websocketCall';
  /** The caller's number, in `customer.number` and `call.customer.number`. */
  customerNumber?: string;
  /** What the call's `assistantOverrides.metadata` echoes (our ids). */
  metadata?: Record<string, unknown>;
}

type Message = Record<string, unknown> & { call?: Record<string, unknown> };

/** The call of a delivery with the pinned parts set. */
function pinned(call: Record<string, unknown>, options: VapiDeliveryOptions): Record<string, unknown> {
  const pinnedCall = { ...call };
  if (options.callId !== undefined) pinnedCall.id = options.callId;
  if (options.callType !== undefined) pinnedCall.type = options.callType;
  if (options.metadata !== undefined) pinnedCall.assistantOverrides = { ...(call.assistantOverrides as object | undefined), metadata: options.metadata };
  if (options.customerNumber !== undefined) pinnedCall.customer = { ...(call.customer as object | undefined), number: options.customerNumber };
  return pinnedCall;
}

/**
 * The generated call with an id the gateway takes: VAPI's schema allows any string, but one holding what no store
 * takes (VAPI_UNSTORABLE_TEXT) is refused with 400 at the door by design, so it has no place among deliveries
 * that must be accepted. The generator's other text, control characters included, is kept.
 */
function storableId(call: Record<string, unknown>): Record<string, unknown> {
  const id = call.id;
  if (typeof id !== 'string' || !VAPI_UNSTORABLE_TEXT.test(id)) return call;
  return { ...call, id: id.replace(new RegExp(VAPI_UNSTORABLE_TEXT.source, 'gu'), '') };
}

/**
 * Deliveries `{ message }` of one type that validate against VAPI's schema for it. The call is there nine times
 * in ten (it always has an id: VAPI's Call requires one), and always when a part of it is pinned.
 */
export function vapiDeliveryArbitrary<T extends VapiMessageType>(type: T, options: VapiDeliveryOptions = {}): fc.Arbitrary<VapiDelivery<T>> {
  const schema = vapiComponentSchemas()[vapiMessageSchemaName(type)];
  const message = arbitraryFor({ ...schema, properties: withoutKeys(schema.properties as JsonSchema, ['call']) }, 0);
  const call = arbitraryFor(vapiSchemaAt('#/components/schemas/Call'), 1);
  if (!message || !call) throw new Error(`VAPI's schema for ${type} admits no value`);
  const pins = Object.values(options).some((value) => value !== undefined);
  const maybeCall = pins ? call : fc.option(call, { nil: undefined, freq: 10 });
  return fc.tuple(message, maybeCall).map(([made, madeCall]) => {
    const delivered: Message = { ...(made as Message), type };
    delete delivered.call; // an extra field may have taken the name
    if (madeCall) delivered.call = pinned(storableId(madeCall as Record<string, unknown>), options);
    if (options.customerNumber !== undefined) delivered.customer = { ...(delivered.customer as object | undefined), number: options.customerNumber };
    return { message: delivered } as unknown as VapiDelivery<T>;
  });
}
