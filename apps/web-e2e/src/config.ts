/**
 * What the browser tests read from their environment, in one place: the infrastructure the global setup
 * found, the platform it started (handed to Playwright's workers through the environment, which they
 * inherit), and whether to write the README's screenshots.
 */
const GATEWAY_URL = 'WEB_E2E_GATEWAY_URL';

export function testInfrastructure(): { databaseUrl: string; redisUrl: string } {
  const { DATABASE_URL, REDIS_URL, DREAMSEED_TEST_INFRA } = process.env;
  if (DREAMSEED_TEST_INFRA !== 'ready' || !DATABASE_URL || !REDIS_URL) {
    throw new Error('The browser tests need Postgres and Redis: set DATABASE_URL and REDIS_URL, or run them on their default ports.');
  }
  return { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL };
}

export function publishGatewayUrl(url: string): void {
  process.env[GATEWAY_URL] = url;
}

export function gatewayUrl(): string {
  const url = process.env[GATEWAY_URL];
  if (!url) throw new Error(`${GATEWAY_URL} is not set: the global setup (src/platform.ts) did not run`);
  return url;
}

/** `SCREENSHOTS=1` writes docs/screenshots/ (see fixtures.ts). */
export const screenshotsWanted = () => process.env.SCREENSHOTS === '1';
