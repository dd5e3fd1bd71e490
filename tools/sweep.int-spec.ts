import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { startPlatform } from './__fixtures__/platform';

/**
 * Bad input, at random, against every public endpoint of the whole platform as `npm start` runs it: every
 * method and path in the gateway's OpenAPI document plus both webhooks, with random bodies, content types,
 * credentials and sizes. Never a 5xx (an owner service that is up answers through the gateway), never a crash,
 * and the platform stays ready.
 */
describe('bad input sweep (fast-check)', () => {
  jest.setTimeout(180_000);

  it('answers every random request with a 2xx, 3xx or 4xx and stays ready', async () => {
    const webhookSecret = 'sweep-webhook-secret-value';
    const platform = await startPlatform(
      'sweep',
      {
        VAPI_WEBHOOK_SECRET: webhookSecret,
        STRIPE_WEBHOOK_SECRET: 'whsec_sweep',
        ADMIN_PASSWORD: 'sweep-admin-password',
        // The sweep sends many sign-ins from one address: the abuse limits are tested elsewhere.
        RATE_LIMIT_SIGN_IN_PER_5_MIN: '100000',
        RATE_LIMIT_VERIFY_PER_5_MIN: '100000',
        RATE_LIMIT_TOKEN_REFRESH_PER_5_MIN: '100000',
        RATE_LIMIT_EMAIL_PER_HOUR: '100000',
      },
      90_000,
    );
    const base = platform.gatewayUrl;
    try {
      const signUp = await fetch(`${base}/auth/v1/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `sweep-${randomUUID().slice(0, 8)}@example.com`, password: 'sweep passphrase 1' }),
      });
      const { access_token: token } = (await signUp.json()) as { access_token: string };
      const document = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
      operations.push({ method: 'POST', path: '/webhooks/vapi' }, { method: 'POST', path: '/webhooks/stripe' });
      expect(operations.length).toBeGreaterThan(40);

      const segment = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.constantFrom('..', '%00', 'me', '0', '-1', 'a'.repeat(300)));
      const body = fc.oneof(
        { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
        { weight: 3, arbitrary: fc.dictionary(fc.constantFrom('email', 'password', 'message', 'answers', 'domain', 'package', 'keywords', 'at', 'customer_phone', 'type', 'data', 'catalog_version', 'tlds', 'question_id', 'value'), fc.jsonValue({ maxDepth: 3 })).map((value) => JSON.stringify(value)) },
        { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
        { weight: 1, arbitrary: fc.constantFrom('', '{', '[]', 'null', '{"message":{"type":"tool-calls","toolCallList":"x"}}', '{"message":{"type":"assistant-request","customer":{"number":[]}}}') },
        { weight: 1, arbitrary: fc.integer({ min: 64, max: 3000 }).map((kb) => JSON.stringify({ message: { type: 'transcript', padding: 'x'.repeat(kb * 1024) } })) },
      );
      const request = fc.record({
        operation: fc.constantFrom(...operations),
        params: fc.array(segment, { minLength: 3, maxLength: 3 }),
        query: fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
        body,
        contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', undefined),
        authorization: fc.constantFrom<string | undefined>(undefined, `Bearer ${token}`, 'Bearer x.y.z', 'Basic YWRtaW46d3Jvbmc=', `Basic ${Buffer.from('admin:sweep-admin-password').toString('base64')}`),
        extra: fc.constantFrom<Record<string, string>>({}, { 'x-vapi-secret': webhookSecret }, { 'x-vapi-secret': 'wrong' }, { 'stripe-signature': 't=1,v1=abc' }, { 'idempotency-key': 'k'.repeat(300) }),
      });

      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let n = 0;
          const path = r.operation.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(r.params[n++] ?? 'x'));
          const url = `${base}${path}${r.query === undefined ? '' : `?${encodeURIComponent(r.query)}=${encodeURIComponent(r.query)}`}`;
          const headers: Record<string, string> = { ...r.extra };
          if (r.contentType) headers['content-type'] = r.contentType;
          if (r.authorization) headers.authorization = r.authorization;
          const hasBody = !['GET', 'HEAD'].includes(r.operation.method);
          const response = await fetch(url, { method: r.operation.method, headers, body: hasBody ? r.body : undefined, signal: AbortSignal.timeout(15_000) });
          // An event stream that opened is an answer, and it never ends by itself: its status is what counts.
          if (response.headers.get('content-type')?.startsWith('text/event-stream')) await response.body?.cancel();
          else await response.arrayBuffer();
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          if (response.status >= 500) throw new Error(`${r.operation.method} ${path} answered ${response.status}`);
        }),
        { numRuns: Number(process.env.SWEEP_RUNS ?? 400), seed: process.env.SWEEP_SEED ? Number(process.env.SWEEP_SEED) : undefined },
      );
      process.stdout.write(`[sweep] ${operations.length} operations; statuses ${JSON.stringify(Object.fromEntries([...seen].sort()))}\n`);
      expect(platform.process.child.exitCode).toBeNull();
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    } finally {
      await platform.stop();
    }
  });
});
