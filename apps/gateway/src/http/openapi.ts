import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import type { Express, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import swaggerUi from 'swagger-ui-express';
import { z } from 'zod';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '@dreamseed/platform';

extendZodWithOpenApi(z);

/** Routes describe themselves here; `/openapi.json` and `/docs` serve the result. */
export const openApiRegistry = new OpenAPIRegistry();

export const ErrorResponse = openApiRegistry.register(
  'Error',
  z.object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  }),
);

const HealthResponse = z.object({ status: z.string(), checks: z.record(z.string(), z.unknown()).optional() });

openApiRegistry.registerPath({
  method: 'get',
  path: '/health/live',
  tags: ['operations'],
  summary: 'The process is up',
  responses: { 200: { description: 'Live', content: { 'application/json': { schema: HealthResponse } } } },
});
openApiRegistry.registerPath({
  method: 'get',
  path: '/health/ready',
  tags: ['operations'],
  summary: 'Postgres and Redis answer and the app is not shutting down',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: HealthResponse } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: HealthResponse } } },
  },
});

// The vendors' deliveries: their bodies are the vendors' (VAPI's ServerMessage, Stripe's Event), checked by the
// gateway as far as it reads them; the answers are what each vendor expects.
openApiRegistry.registerPath({
  method: 'post',
  path: '/webhooks/vapi',
  tags: ['webhooks'],
  summary:
    "VAPI's server URL: every server message. Authenticated by the shared secret (X-Vapi-Secret or Authorization: Bearer) or an HMAC of the body, as VAPI_WEBHOOK_AUTH says. Messages VAPI waits on (assistant-request, tool-calls, transfer-destination-request, …) are answered at once; the rest are stored and answered {}",
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({ message: z.looseObject({ type: z.string(), call: z.looseObject({ id: z.string() }).nullish() }) }).openapi('VapiServerMessage'),
        },
      },
    },
  },
  responses: {
    200: { description: "The reply VAPI expects for the message's type ({} for the ones it does not wait on)", content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    400: { description: 'Not JSON, too deep, or not a server message', content: { 'application/json': { schema: ErrorResponse } } },
    401: { description: 'Missing or wrong secret or signature', content: { 'application/json': { schema: ErrorResponse } } },
    503: { description: 'Could not be stored; VAPI retries', content: { 'application/json': { schema: ErrorResponse } } },
  },
});
openApiRegistry.registerPath({
  method: 'post',
  path: '/webhooks/stripe',
  tags: ['webhooks'],
  summary: "Stripe's webhook endpoint: an Event, verified by its Stripe-Signature header (STRIPE_WEBHOOK_SECRET), stored, then applied by billing",
  request: {
    headers: z.object({ 'stripe-signature': z.string() }),
    body: { content: { 'application/json': { schema: z.looseObject({ id: z.string(), type: z.string(), api_version: z.string().nullish() }).openapi('StripeEvent') } } },
  },
  responses: {
    200: { description: 'Received (a duplicate too)', content: { 'application/json': { schema: z.object({ received: z.literal(true) }) } } },
    400: { description: 'A signature that does not verify, or a body that is not an event', content: { 'application/json': { schema: ErrorResponse } } },
    503: { description: 'Could not be stored; Stripe retries', content: { 'application/json': { schema: ErrorResponse } } },
  },
});

/** The query string of every list: a page of `limit` rows after `cursor`; the answer's `next_cursor` names the next. */
export const PAGED: RouteParameters = {
  query: z.object({
    limit: z
      .number()
      .int()
      .min(1)
      .max(PAGE_LIMIT_MAX)
      .optional()
      .openapi({ description: `Rows on the page (default ${PAGE_LIMIT_DEFAULT}, at most ${PAGE_LIMIT_MAX})` }),
    cursor: z.string().max(100).optional().openapi({ description: "The page before's next_cursor; opaque" }),
  }),
};

/** A route's query string and request headers, each an object schema of its own, and its answers by status. */
export interface RouteParameters {
  query?: z.ZodObject;
  headers?: z.ZodObject;
  responses?: Partial<Record<200 | 201 | 202, z.ZodType>>;
  /** A 200 that is a stream of server-sent events rather than JSON: what its events are. */
  eventStream?: string;
  /** A 200 that is a file rather than JSON: its media type and what it is. */
  file?: { contentType: string; description: string };
  /** More than the summary says: the operation's description. */
  description?: string;
}

/** GoTrue's error body, which `/auth/v1` keeps so that auth-js reads it. */
const GoTrueError = z
  .object({ code: z.string(), error_code: z.string(), msg: z.string(), message: z.string() })
  .catchall(z.unknown())
  .openapi('GoTrueError');

/** The documented answers by `METHOD path` (the document's path form), for `checkResponses`. */
const documentedAnswers = new Map<string, Partial<Record<number, z.ZodType>>>();

/** The `{name}` parts of a documented path as parameters: under /v1 each is an id this API gave, a UUID. */
function pathParameters(path: string): z.ZodObject | undefined {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
  const type = (name: string) => (path.startsWith('/v1/') && name === 'id' ? z.uuid().openapi({ description: 'An id this API gave' }) : z.string());
  return names.length ? z.object(Object.fromEntries(names.map((name) => [name, type(name)]))) : undefined;
}

/** Lists routes in the API document: method, path, summary, the body's and parameters' schemas, and the answers. */
export function describeRoutes(
  tag: string,
  routes: readonly (readonly ['get' | 'post' | 'put' | 'patch' | 'delete', string, string, z.ZodType | undefined, RouteParameters?])[],
  options: { bearer: boolean; basic?: boolean; serviceRole?: boolean; responses?: Record<number, string> },
) {
  for (const [method, path, summary, body, parameters] of routes) {
    const answers = parameters?.responses ?? {};
    documentedAnswers.set(`${method.toUpperCase()} ${path}`, answers);
    const error = { content: { 'application/json': { schema: path.startsWith('/auth/') ? GoTrueError : ErrorResponse } } };
    openApiRegistry.registerPath({
      method,
      path,
      summary,
      ...(parameters?.description ? { description: parameters.description } : {}),
      tags: [tag],
      // Either scheme will do where both are named.
      ...(options.bearer || options.basic ? { security: [...(options.bearer ? [{ bearerAuth: [] }] : []), ...(options.basic ? [{ basicAuth: [] }] : [])] } : {}),
      ...(options.serviceRole ? { security: [{ serviceRoleAuth: [] }] } : {}),
      request: {
        ...(pathParameters(path) ? { params: pathParameters(path) } : {}),
        ...(body ? { body: { content: { 'application/json': { schema: body } } } } : {}),
        ...(parameters?.query ? { query: parameters.query } : {}),
        ...(parameters?.headers ? { headers: parameters.headers } : {}),
      },
      responses: {
        ...(Object.keys(answers).length === 0 && !parameters?.eventStream && !parameters?.file ? { 200: { description: 'OK' } } : {}),
        ...(parameters?.file ? { 200: { description: parameters.file.description, content: { [parameters.file.contentType]: { schema: z.string().openapi({ format: 'binary' }) } } } } : {}),
        ...(parameters?.eventStream ? { 200: { description: parameters.eventStream, content: { 'text/event-stream': { schema: z.string() } } } } : {}),
        ...Object.fromEntries(
          Object.entries(answers).map(([status, schema]) => [status, { description: status === '200' ? 'OK' : status === '201' ? 'Created' : 'Accepted', content: { 'application/json': { schema } } }]),
        ),
        400: { description: 'Invalid input', ...error },
        401: { description: 'No token, or one that is malformed, tampered, expired or whose session ended (WWW-Authenticate: Bearer)', ...error },
        403: { description: 'A valid caller who may not do this', ...error },
        404: { description: 'Nothing the caller can see has this id, or the request would change nothing (see its code)', ...error },
        409: { description: 'The request conflicts with the state (see its code)', ...error },
        429: { description: 'Over a rate limit (Retry-After)', ...error },
        503: { description: 'A part of the platform could not answer; nothing changed (Retry-After)', ...error },
        ...Object.fromEntries(Object.entries(options.responses ?? {}).map(([status, description]) => [status, { description }])),
      },
    });
  }
}

/** The document's form of the route that answered (`/v1/me` + `/calls/:id` → `/v1/me/calls/{id}`), if Express matched one. */
function documentedPath(req: Request): string | undefined {
  const route = (req as Request & { route?: { path: unknown } }).route;
  const paths: unknown[] = Array.isArray(route?.path) ? (route.path as unknown[]) : [route?.path];
  const forms = paths.filter((path): path is string => typeof path === 'string').map((path) => `${req.baseUrl}${path === '/' ? '' : path}`.replace(/:(\w+)/g, '{$1}') || '/');
  return forms.find((form) => documentedAnswers.has(`${req.method} ${form}`)) ?? forms[0];
}

/**
 * For tests: every `/v1` answer (or every answer under `prefix`) is checked against the document before it
 * leaves. A 2xx with a documented schema must match it, and every error must be `{ error: { code, message,
 * details? } }`. A mismatch is logged with the issues and answered 500 `response_contract_violation`, so the
 * integration tests fail on it.
 */
export function checkResponses(logger: Logger, prefix = '/v1/'): RequestHandler {
  return (req, res, next) => {
    if (!req.originalUrl.startsWith(prefix)) {
      next();
      return;
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const path = documentedPath(req);
      const schema = res.statusCode >= 400 ? ErrorResponse : path ? documentedAnswers.get(`${req.method} ${path}`)?.[res.statusCode] : undefined;
      const checked = schema?.safeParse(body);
      // zod drops the keys a schema does not name, so a key left in another dialect (`callStage` beside the
      // documented `call_stage`) would pass unseen: what was dropped is what the document does not describe.
      const undescribed = checked?.success ? undescribedKeys(body, checked.data) : [];
      if ((checked && !checked.success) || undescribed.length) {
        const issues = checked?.success ? undescribed.map((key) => ({ path: key, message: 'not in the API document' })) : checked?.error.issues;
        logger.error({ method: req.method, path, status: res.statusCode, issues }, 'answer does not match the API document');
        res.status(500);
        return json({ error: { code: 'response_contract_violation', message: `The ${res.statusCode} answer of ${req.method} ${path ?? req.path} does not match the API document.` } });
      }
      return json(body);
    };
    next();
  };
}

/** The paths of keys in `sent` that zod's parse of it (`kept`) dropped, as `calls.0.callStage`. */
export function undescribedKeys(sent: unknown, kept: unknown, at = ''): string[] {
  if (Array.isArray(sent)) return Array.isArray(kept) ? sent.flatMap((item, index) => undescribedKeys(item, kept[index], `${at}${index}.`)) : [];
  if (sent === null || typeof sent !== 'object' || kept === null || typeof kept !== 'object') return [];
  return Object.entries(sent).flatMap(([key, value]) =>
    Object.hasOwn(kept, key) ? undescribedKeys(value, (kept as Record<string, unknown>)[key], `${at}${key}.`) : [`${at}${key}`],
  );
}

openApiRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
openApiRegistry.registerComponent('securitySchemes', 'basicAuth', { type: 'http', scheme: 'basic' });
openApiRegistry.registerComponent('securitySchemes', 'serviceRoleAuth', {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: "Supabase's service-role key: a JWT with role service_role signed by JWT_SECRET (SERVICE_ROLE_KEY). Server-side only.",
});

export function openApiDocument(version: string, publicUrl: string) {
  return new OpenApiGeneratorV31(openApiRegistry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'DreamSeed API', version, description: 'The platform API, auth and webhooks served by the gateway.' },
    servers: [{ url: publicUrl }],
  });
}

export function mountApiDocs(app: Express, version: string, publicUrl: string) {
  const document = openApiDocument(version, publicUrl);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'DreamSeed API' }));
}
