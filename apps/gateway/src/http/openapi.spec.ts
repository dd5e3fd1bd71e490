// Importing the app registers every route's description, as the running gateway does.
import '../app';
import { CORS_ALLOWED_HEADERS } from './cors';
import type { AddressInfo } from 'node:net';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import express from 'express';
import pino from 'pino';
import { z } from 'zod';
import { checkResponses, describeRoutes, openApiDocument } from './openapi';

/** Every string value under a key named `pattern`, with where it stands. */
function patternsIn(value: unknown, at = '', found: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) value.forEach((item, index) => patternsIn(item, `${at}/${index}`, found));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'pattern' && typeof inner === 'string') found.push([`${at}/${key}`, inner]);
      else patternsIn(inner, `${at}/${key}`, found);
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  const document = openApiDocument('test', 'http://127.0.0.1:3000');

  it('has one path per resource: query strings are parameters, not part of a path', () => {
    const paths = Object.keys(document.paths ?? {});
    expect(paths.filter((path) => path.includes('?'))).toEqual([]);
    const token = document.paths?.['/auth/v1/token']?.post;
    expect(token?.parameters).toEqual([expect.objectContaining({ in: 'query', name: 'grant_type', required: true })]);
  });

  it('declares every part of a path that varies as a path parameter', () => {
    const undeclared = Object.entries(document.paths ?? {}).flatMap(([path, operations]) =>
      Object.entries(operations as Record<string, { parameters?: { in: string; name: string }[] }>).flatMap(([method, operation]) =>
        [...path.matchAll(/\{(\w+)\}/g)]
          .map(([, name]) => name)
          .filter((name) => !operation.parameters?.some((parameter) => parameter.in === 'path' && parameter.name === name))
          .map((name) => `${method.toUpperCase()} ${path}: ${name}`),
      ),
    );
    expect(undeclared).toEqual([]);
  });

  it('gives patterns that a JSON Schema validator compiles as written (no regex flags left in them)', () => {
    const patterns = patternsIn(document);
    expect(patterns.length).toBeGreaterThan(0);
    for (const [where, pattern] of patterns) {
      expect({ where, pattern, flags: /\/[a-z]+$/.test(pattern) }).toEqual({ where, pattern, flags: false });
      expect(() => new RegExp(pattern, 'u')).not.toThrow();
    }
  });

  it('describes the answer of every /v1 operation that answers JSON', () => {
    // No JSON to describe: 204, and the local provider's HTML page.
    const NO_JSON = ['DELETE /v1/me', 'GET /v1/billing/checkout/{id}/confirm'];
    const undescribed = Object.entries(document.paths ?? {})
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, item]) =>
        Object.entries(item as Record<string, { responses?: Record<string, { content?: unknown }> }>)
          .filter(([, operation]) => !Object.entries(operation.responses ?? {}).some(([status, answer]) => Number(status) < 300 && answer.content))
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    expect(undescribed).toEqual([...NO_JSON].sort());
  });

  it('describes the vendors\' webhooks, with what they send and what they get back', () => {
    const vapi = document.paths?.['/webhooks/vapi']?.post;
    const stripe = document.paths?.['/webhooks/stripe']?.post;
    expect(Object.keys(vapi?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401']));
    expect(stripe?.parameters).toEqual([expect.objectContaining({ in: 'header', name: 'stripe-signature' })]);
    expect(Object.keys(stripe?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400']));
  });

  it('gives every list its page parameters', () => {
    const lists = ['/v1/me/calls', '/v1/me/analyses', '/v1/me/assessments', '/v1/me/dream-dna/versions', '/v1/domains/searches', '/v1/billing/payments'];
    for (const path of lists) {
      const names = (document.paths?.[path]?.get?.parameters ?? []).map((parameter) => ('name' in parameter ? [parameter.in, parameter.name] : []));
      expect({ path, names }).toEqual({ path, names: [['query', 'limit'], ['query', 'cursor']] });
    }
  });

  it('lets a domain keyword through when it has a letter or digit and no control character', () => {
    const schema = document.components?.schemas?.DomainSearchRequest as { properties: { keywords: { items: { pattern: string } } } };
    const keyword = new RegExp(schema.properties.keywords.items.pattern, 'u');
    for (const good of ['bakery', 'sourdough', 'café', '東京', 'a-1']) expect(keyword.test(good)).toBe(true);
    for (const bad of ['---', '', 'a\u0000b', ' . ']) expect(keyword.test(bad)).toBe(false);
  });

  it('asks a browser for no header that CORS would refuse', () => {
    // The webhooks are called by the vendors' servers, not by browsers.
    const asked = Object.entries(document.paths ?? {})
      .filter(([path]) => !path.startsWith('/webhooks/'))
      .flatMap(([, item]) => Object.values(item as Record<string, { parameters?: { in: string; name: string }[] }>))
      .flatMap((operation) => operation.parameters ?? [])
      .filter((parameter) => parameter.in === 'header')
      .map((parameter) => parameter.name.toLowerCase());
    expect(asked).toContain('idempotency-key');
    expect(asked.filter((name) => !(CORS_ALLOWED_HEADERS as readonly string[]).includes(name))).toEqual([]);
  });

  it('describes every /v1 answer in one dialect: snake_case keys, money as amount', () => {
    const keys = new Set<string>();
    const collect = (schema: unknown) => {
      if (Array.isArray(schema)) schema.forEach(collect);
      else if (schema && typeof schema === 'object') {
        for (const [key, inner] of Object.entries(schema)) {
          if (key === 'properties' && inner && typeof inner === 'object') Object.keys(inner).forEach((name) => keys.add(name));
          collect(inner);
        }
      }
    };
    for (const [path, operations] of Object.entries(document.paths ?? {})) if (path.startsWith('/v1/')) collect(operations);
    collect(document.components?.schemas);
    const gotrue = new Set(Object.keys((document.components?.schemas?.GoTrueError as { properties?: object } | undefined)?.properties ?? {}));
    expect([...keys].filter((key) => !/^[a-z][a-z0-9_]*$/.test(key) && !gotrue.has(key) && key !== 'idempotency-key')).toEqual([]);
    expect([...keys].filter((key) => /minor|cents|^price(_minor)?$/.test(key))).toEqual([]);
  });

  it('gives examples for the main flows, each valid against its own schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document as object, 'doc');
    const examples: [string, unknown][] = [];
    const walk = (value: unknown, pointer: string) => {
      if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${pointer}/${index}`));
      else if (value && typeof value === 'object') {
        const schema = value as Record<string, unknown>;
        if ('example' in schema && ('type' in schema || 'properties' in schema || 'anyOf' in schema)) examples.push([pointer, schema.example]);
        for (const [key, inner] of Object.entries(schema)) if (key !== 'example') walk(inner, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
    };
    walk(document, '');
    const invalid = examples.filter(([pointer, example]) => !ajv.validate({ $ref: `doc#${pointer}` }, example)).map(([pointer]) => pointer);
    expect(invalid).toEqual([]);
    const body = (path: string, method: 'post' | 'patch' | 'put') => {
      const schema = (document.paths?.[path]?.[method]?.requestBody as { content: Record<string, { schema: Record<string, unknown> }> } | undefined)?.content['application/json'].schema;
      const name = typeof schema?.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;
      return name ? document.components?.schemas?.[name] : schema;
    };
    const flows: [string, 'post' | 'patch' | 'put'][] = [
      ['/auth/v1/signup', 'post'],
      ['/v1/me', 'patch'],
      ['/v1/me/formation', 'put'],
      ['/v1/me/calls', 'post'],
      ['/v1/me/assessments', 'post'],
      ['/v1/domains/searches', 'post'],
      ['/v1/domains/selections', 'post'],
      ['/v1/billing/checkout', 'post'],
    ];
    expect(flows.filter(([path, method]) => !JSON.stringify(body(path, method) ?? {}).includes('"example"'))).toEqual([]);
  });

  describe('checkResponses, which holds every /v1 answer to the document under test', () => {
    describeRoutes('test', [['get', '/v1/contract-test/{id}', 'A route of this spec', undefined, { responses: { 200: z.object({ id: z.string(), count: z.number() }) } }]], { bearer: false });

    const answering = async (status: number, body: unknown) => {
      const app = express();
      app.use('/v1', checkResponses(pino({ level: 'silent' })));
      const router = express.Router();
      router.get('/contract-test/:id', (_req, res) => {
        res.status(status).json(body);
      });
      app.use('/v1', router);
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/contract-test/7`);
        return { status: response.status, body: (await response.json()) as unknown };
      } finally {
        server.close();
      }
    };

    it('lets an answer that matches through', async () => {
      expect(await answering(200, { id: '7', count: 2 })).toEqual({ status: 200, body: { id: '7', count: 2 } });
      expect(await answering(404, { error: { code: 'not_found', message: 'No such thing.' } })).toMatchObject({ status: 404 });
    });

    it('turns an answer that does not match into a 500 the tests see', async () => {
      for (const [status, body] of [
        [200, { id: 7, count: 2 }],
        [200, { id: '7' }],
        [400, { message: 'not our error shape' }],
        // A key the document does not name, such as one left in camelCase beside its snake_case name.
        [200, { id: '7', count: 2, countMinor: 2 }],
        [404, { error: { code: 'not_found', message: 'No such thing.', httpStatus: 404 } }],
      ] as const) {
        expect(await answering(status, body)).toEqual({ status: 500, body: { error: { code: 'response_contract_violation', message: expect.stringContaining('GET /v1/contract-test/{id}') } } });
      }
    });
  });
});

