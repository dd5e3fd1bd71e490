// `npm run test:scale`: the platform's journey through a transaction pooler (PgBouncer) and on a Redis Cluster.
// Each spec starts the servers it needs (pgbouncer, redis-server) in a temp dir of its own and plays the whole
// journey, so they run one at a time and apart from `npm test`. The shared global setup still finds Postgres and
// Redis and migrates the default database, as for every project.
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'scale',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.scale-spec.ts'],
  testTimeout: 240_000,
};
