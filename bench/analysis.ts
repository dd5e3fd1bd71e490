/**
 * The analysis figures of `npm run bench`: the offline extractor's accuracy on the fixture consultations, and
 * the time from an end-of-call report accepted by the gateway to a new Dream DNA version readable through the
 * API (gateway → voice worker → analysis worker reading the calls from the voice service → API), offline.
 */
import { performance } from 'node:perf_hooks';
import { freePort, sleep, waitForHttpOk } from '@dreamseed/testing';
import { runApp } from './apps';
import { percentile, round } from './stats';
import { CONSULTATION_FIXTURES, ENUM_EXPECTATIONS, fixtureInput } from '../apps/analysis-service/src/analysis/__fixtures__/consultations';
import { OfflineExtractor } from '../apps/analysis-service/src/analysis/offline';

export interface AnalysisBench {
  fixtures: number;
  enumFields: number;
  enumAccuracy: number;
  textAccuracy: number;
  endToEnd: { runs: number; p50Ms: number; p95Ms: number; maxMs: number; targetP95Ms: number; p95OfTarget: number };
}

export async function offlineAccuracy() {
  const extractor = new OfflineExtractor();
  let enumRight = 0;
  let enumTotal = 0;
  let textRight = 0;
  let textTotal = 0;
  for (const fixture of CONSULTATION_FIXTURES) {
    const { output } = await extractor.analyse(fixtureInput(fixture));
    const found: Record<string, string | null> = Object.fromEntries(
      [...Object.entries(output.dreamDna), ...Object.entries(output.businessFacts)].map(([field, finding]) => [field, finding.value]),
    );
    for (const field of ENUM_EXPECTATIONS) {
      enumTotal += 1;
      if (found[field] === fixture.expected[field]) enumRight += 1;
    }
    for (const field of ['whatProblem', 'whoServes', 'howDifferent', 'primaryService'] as const) {
      textTotal += 1;
      if ((found[field] ?? '').toLowerCase().includes(fixture.expected[field].toLowerCase())) textRight += 1;
    }
  }
  return { fixtures: CONSULTATION_FIXTURES.length, enumFields: enumTotal, enumAccuracy: enumRight / enumTotal, textAccuracy: textRight / textTotal };
}


/** Founders each have one call ended; the clock runs from the report's 2xx to the Dream DNA read back. */
export async function endToEnd(options: { databaseUrl: string; redisUrl: string; prefix: string; runs: number }) {
  const [gatewayPort, voicePort, analysisPort] = [await freePort(), await freePort(), await freePort()];
  const common = { DATABASE_URL: options.databaseUrl, REDIS_URL: options.redisUrl, QUEUE_PREFIX: options.prefix, HOST: '127.0.0.1', LOG_LEVEL: 'warn', INTERNAL_API_SECRET: 'benchmark-internal-secret', JWT_ISSUER: 'http://127.0.0.1/auth/v1' };
  const voice = runApp('voice-service', { ...common, PORT: String(voicePort), GATEWAY_URL: `http://127.0.0.1:${gatewayPort}` });
  const analysis = runApp('analysis-service', { ...common, PORT: String(analysisPort), VOICE_SERVICE_URL: `http://127.0.0.1:${voicePort}`, ANALYSIS_PROVIDER: 'offline' });
  const gateway = runApp('gateway', {
    ...common,
    PORT: String(gatewayPort),
    AUTH_AUTOCONFIRM: 'true',
    VAPI_WEBHOOK_SECRET: 'benchmark-webhook-secret',
    VOICE_SERVICE_URL: `http://127.0.0.1:${voicePort}`,
    ANALYSIS_SERVICE_URL: `http://127.0.0.1:${analysisPort}`,
    RATE_LIMIT_SIGN_IN_PER_5_MIN: '100000000',
  });
  const base = `http://127.0.0.1:${gatewayPort}`;
  try {
    await Promise.all([
      waitForHttpOk(`${base}/health/ready`, 60_000, gateway),
      waitForHttpOk(`http://127.0.0.1:${voicePort}/health/ready`, 60_000, voice),
      waitForHttpOk(`http://127.0.0.1:${analysisPort}/health/ready`, 60_000, analysis),
    ]);
    const latencies: number[] = [];
    for (let n = 0; n < options.runs; n += 1) {
      const fixture = CONSULTATION_FIXTURES[n % CONSULTATION_FIXTURES.length];
      if (!fixture) break;
      const signUp = await fetch(`${base}/auth/v1/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `bench-e2e-${options.prefix}-${n}@example.com`, password: 'benchmark passphrase', data: {} }),
      });
      const session = (await signUp.json()) as { access_token: string; user: { app_metadata: { profile_id: string } } };
      const userId = session.user.app_metadata.profile_id;
      const call = { id: `bench-e2e-${options.prefix}-${n}`, type: 'outboundPhoneCall', assistantOverrides: { metadata: { userId, callStage: 1 } } };
      const turns = fixture.calls[0]?.turns ?? [];
      const report = {
        message: {
          type: 'end-of-call-report',
          timestamp: Date.now(),
          endedReason: 'customer-ended-call',
          call,
          startedAt: new Date(Date.now() - 60_000).toISOString(),
          endedAt: new Date().toISOString(),
          artifact: {
            transcript: turns.map(([speaker, text]) => `${speaker}: ${text}`).join('\n'),
            messages: turns.map(([speaker, text], i) => ({ role: speaker === 'AI' ? 'bot' : 'user', message: text, secondsFromStart: i * 4 })),
          },
        },
      };
      const accepted = await fetch(`${base}/webhooks/vapi`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-vapi-secret': 'benchmark-webhook-secret' },
        body: JSON.stringify(report),
      });
      if (!accepted.ok) throw new Error(`the report was refused: ${accepted.status}`);
      const started = performance.now();
      for (;;) {
        const dna = await fetch(`${base}/v1/me/dream-dna`, { headers: { authorization: `Bearer ${session.access_token}` } });
        if (dna.status === 200) break;
        if (performance.now() - started > 10_000) throw new Error('no Dream DNA within 10 s');
        await sleep(5);
      }
      latencies.push(performance.now() - started);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    return { runs: sorted.length, p50Ms: round(percentile(sorted, 50)), p95Ms: round(p95), maxMs: round(sorted.at(-1) ?? 0), targetP95Ms: 1000, p95OfTarget: Number((p95 / 1000).toFixed(3)) };
  } finally {
    for (const app of [gateway, voice, analysis]) app.kill('SIGTERM');
    await Promise.all([gateway.exited, voice.exited, analysis.exited]);
  }
}

