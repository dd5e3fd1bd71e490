import { existsSync } from 'node:fs';
import type { FullConfig } from '@playwright/test';
import { exitWithin, freePort, runTs, uniquePrefix, waitFor } from '@dreamseed/testing';
import { publishGatewayUrl, testInfrastructure } from './config';

/**
 * Playwright's global setup: the platform as `npm start` runs it (tools/start.ts builds the web app when stale,
 * migrates and starts the five apps in one process), on free ports with its own queue prefix, in the test
 * database. Sample calls play fast so that a journey's four calls take seconds. The returned teardown stops it
 * with SIGTERM, by its process id.
 */
export default async function startPlatform(config: FullConfig): Promise<() => Promise<void>> {
  const executablePath = config.projects[0]?.use.launchOptions?.executablePath;
  if (executablePath && !existsSync(executablePath)) {
    throw new Error(`No browser at ${executablePath}: apt-get install -y chromium-headless-shell fonts-liberation (or set CHROMIUM_PATH)`);
  }
  const { databaseUrl, redisUrl } = testInfrastructure();
  const [gateway, voice, analysis, domain, billing] = (await Promise.all([1, 2, 3, 4, 5].map(() => freePort()))).map(String);
  const gatewayUrl = `http://127.0.0.1:${gateway}`;
  const platform = runTs('tools/start.ts', {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PORT: gateway,
    VOICE_SERVICE_PORT: voice,
    ANALYSIS_SERVICE_PORT: analysis,
    DOMAIN_SERVICE_PORT: domain,
    BILLING_SERVICE_PORT: billing,
    PUBLIC_URL: gatewayUrl,
    QUEUE_PREFIX: uniquePrefix('web-e2e'),
    LOG_LEVEL: 'warn',
    SAMPLE_CALLS: 'true',
    SAMPLE_CALL_PACE_MS: '100',
    // Every test signs a founder up from this one address.
    RATE_LIMIT_SIGN_IN_PER_5_MIN: '1000',
  });
  const stop = async () => {
    platform.kill('SIGTERM');
    await exitWithin(platform, 15_000).catch(() => platform.kill('SIGKILL'));
  };
  // A first run builds the web app before the apps start; the banner comes once all five are ready.
  const ended = () => platform.child.exitCode !== null || platform.child.signalCode !== null;
  try {
    await waitFor(() => ended() || platform.output().includes('DreamSeed is up.'), 'the platform', 180_000);
    if (ended()) throw new Error('the platform stopped while starting');
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${platform.output()}`);
  }
  publishGatewayUrl(gatewayUrl);
  return stop;
}
