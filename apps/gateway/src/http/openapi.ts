import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import type { Express } from 'express';
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

/** Lists routes in the API document: method, path, summary and, for writes, the zod schema of the body. */
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

/** A route's query string and request headers, each an object schema of its own. */
export interface RouteParameters {
  query?: z.ZodObject;
  headers?: z.ZodObject;
}

export function describeRoutes(
  tag: string,
  routes: readonly (readonly ['get' | 'post' | 'put' | 'patch' | 'delete', string, string, z.ZodType | undefined, RouteParameters?])[],
  options: { bearer: boolean; basic?: boolean; responses?: Record<number, string> },
) {
  for (const [method, path, summary, body, parameters] of routes) {
    openApiRegistry.registerPath({
      method,
      path,
      summary,
      tags: [tag],
      ...(options.bearer ? { security: [{ bearerAuth: [] }] } : {}),
      ...(options.basic ? { security: [{ basicAuth: [] }] } : {}),
      request: {
        ...(body ? { body: { content: { 'application/json': { schema: body } } } } : {}),
        ...(parameters?.query ? { query: parameters.query } : {}),
        ...(parameters?.headers ? { headers: parameters.headers } : {}),
      },
      responses: {
        200: { description: 'OK' },
        400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorResponse } } },
        401: { description: 'No token, or one that is malformed, tampered, expired or whose session ended (WWW-Authenticate: Bearer)' },
        403: { description: 'A valid caller who may not do this' },
        429: { description: 'Over a rate limit (Retry-After)' },
        ...Object.fromEntries(Object.entries(options.responses ?? {}).map(([status, description]) => [status, { description }])),
      },
    });
  }
}

openApiRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
openApiRegistry.registerComponent('securitySchemes', 'basicAuth', { type: 'http', scheme: 'basic' });

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
