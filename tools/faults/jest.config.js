// `npm run test:faults`: the fault tests, on Postgres and Redis servers of their own (see infra.ts). They stop,
// kill and restart servers and apps, so they run one at a time and apart from `npm test`.
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'faults',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.faults.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 180_000,
};
