import { defineConfig } from '@playwright/test';

/**
 * The founders' web app in a real browser against the whole platform (`npm start`'s launcher, started by
 * src/platform.ts). The browser is Debian's `chromium-headless-shell` package, which `.ci/run` installs:
 * nothing is ever downloaded, so `CHROMIUM_PATH` names another build where Debian's is not installed.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium-headless-shell';

export default defineConfig({
  testDir: 'src',
  testMatch: '**/*.e2e.ts',
  outputDir: '../../tmp/web-e2e',
  // Postgres and Redis found the way the integration tests find them, then the platform on free ports.
  globalSetup: ['../../libs/testing/src/global-setup.ts', './src/platform.ts'],
  globalTeardown: '../../libs/testing/src/global-teardown.ts',
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? 'line' : 'list',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromium },
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
