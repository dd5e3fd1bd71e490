import pg from 'pg';
import { createFreshDatabase, type FreshDatabase } from '@dreamseed/platform/testing';
import { deletePrefix, exitWithin, runTs, testInfra, uniquePrefix } from '@dreamseed/testing';
import { startPlatform } from '../__fixtures__/platform';
import { expectPaidFounder, founderApi } from './journey';
import { startPgBouncer, type PgBouncer } from './pgbouncer';

/**
 * PgBouncer's server connections for the database: fewer than the five apps, each of which keeps at least one
 * client connection open, so that the pooler must share its connections between apps.
 */
const POOL_SIZE = 4;
/** Each app's pool under npm start (its default there), so five apps could open five times as many. */
const APP_POOL_MAX = 5;
const APPS = ['gateway', 'voice-service', 'analysis-service', 'domain-service', 'billing-service'];
const WEBHOOK_SECRET = 'pooler-webhook-secret-for-tests';

/**
 * The founder's whole journey with every app behind PgBouncer in transaction mode, as past one host: the apps
 * reach Postgres through the pooler (DATABASE_URL), the migrations directly (DATABASE_MIGRATION_URL), on a
 * database of the run's own. Each transaction may land on another server connection than the one before, so a
 * role or setting left on a session, a session lock or a named statement would show here as a wrong read, a
 * refused query or a hang.
 */
describe('the platform behind a transaction pooler (PgBouncer)', () => {
  let database: FreshDatabase;
  let pooler: PgBouncer;

  beforeAll(async () => {
    database = await createFreshDatabase(testInfra().databaseUrl, 'pooler');
    pooler = await startPgBouncer(database.url, { poolSize: POOL_SIZE });
  });

  afterAll(async () => {
    await pooler?.stop();
    await database?.drop();
  });

  it('takes a founder from sign-up to payment, every app pooled, the migrations direct', async () => {
    const prefix = uniquePrefix('pooler');
    const platform = await startPlatform('pooler', {
      DATABASE_URL: pooler.url(database.name),
      DATABASE_MIGRATION_URL: database.url,
      DATABASE_POOL_MAX: String(APP_POOL_MAX),
      QUEUE_PREFIX: prefix,
      VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    try {
      // Sign-up, four calls as VAPI delivers them, the Dream DNA, a domain and the local provider's payment.
      const demo = runTs('tools/demo.ts', { GATEWAY_URL: platform.gatewayUrl, VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET });
      const code = await exitWithin(demo, 120_000);
      const output = demo.output();
      expect({ code, output: code === 0 ? 'ok' : `${output}\n${platform.process.output()}` }).toEqual({ code: 0, output: 'ok' });
      const email = /Founder (\S+@\S+) /.exec(output)?.[1];
      const selected = /Domain selected: (\S+)/.exec(output)?.[1];

      // The end state, read back through the API as the founder.
      const api = founderApi(platform.gatewayUrl);
      await api.signIn(email ?? '');
      await expectPaidFounder(api, selected);

      // The pooler carried it: its transactions, its server connections the only backends of the database,
      // fewer of them than the apps hold client connections.
      const [stats] = (await pooler.admin('SHOW STATS')).filter((row) => row.database === database.name);
      expect(Number(stats?.total_xact_count)).toBeGreaterThan(100);
      const clients = (await pooler.admin('SHOW CLIENTS')).filter((row) => row.database === database.name);
      const servers = (await pooler.admin('SHOW SERVERS')).filter((row) => row.database === database.name);
      const backends = await database.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database.name]);
      const serverPids = new Set(servers.map((server) => Number(server.remote_pid)));
      expect(backends.length).toBeGreaterThan(0);
      expect(backends.filter((backend) => !serverPids.has(backend.pid))).toEqual([]);
      expect(backends.length).toBeLessThanOrEqual(POOL_SIZE);
      expect(clients.length).toBeGreaterThan(backends.length);
      expect(new Set(clients.map((client) => client.application_name))).toEqual(new Set(APPS));
      // Nothing a transaction set outlived it on the server connections every app shares.
      expect(await sessionStateOfEveryServer(pooler.url(database.name))).toEqual(
        Array.from({ length: POOL_SIZE }, () => ({ role: 'postgres', founder: null })),
      );
      // No session lock outlived its migration on a connection the pooler hands round.
      const locks = await database.query<{ n: number }>(
        "select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = $1)",
        [database.name],
      );
      expect(locks[0]?.n).toBe(0);
    } finally {
      await platform.stop();
      await deletePrefix(testInfra().redisUrl, prefix);
    }
  });
});

/**
 * The role and founder setting of each of the pooler's server connections: as many transactions held open at
 * once as the pool has connections, so that each one is on a connection of its own.
 */
async function sessionStateOfEveryServer(url: string): Promise<{ role: string; founder: string | null }[]> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  const clients = await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.connect()));
  try {
    const states = await Promise.all(
      clients.map(async (client) => {
        const [, state] = (await client.query(
          "begin; select current_user as role, nullif(current_setting('request.founder_id', true), '') as founder, pg_backend_pid() as pid",
        )) as unknown as pg.QueryResult[];
        return state?.rows[0] as { role: string; founder: string | null; pid: number };
      }),
    );
    expect(new Set(states.map((state) => state.pid)).size).toBe(POOL_SIZE);
    return states.map(({ role, founder }) => ({ role, founder }));
  } finally {
    await Promise.all(clients.map((client) => client.query('rollback').finally(() => client.release())));
    await pool.end();
  }
}
