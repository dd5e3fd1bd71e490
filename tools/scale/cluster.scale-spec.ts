import { randomBytes } from 'node:crypto';
import { QUEUE_NAMES } from '@dreamseed/contracts';
import { createFreshDatabase, type FreshDatabase } from '@dreamseed/platform/testing';
import { exitWithin, openEventStream, runTs, testInfra, waitFor } from '@dreamseed/testing';
import { startPlatform } from '../__fixtures__/platform';
import { startRedisCluster, type LocalRedisCluster } from './cluster';
import { DEMO_PASSWORD, expectPaidFounder, founderApi } from './journey';

const WEBHOOK_SECRET = 'cluster-webhook-secret-for-tests';
/** Sign-ups and sign-ins per address in 5 minutes: the demo's sign-up and the test's sign-in leave two. */
const SIGN_IN_LIMIT = 4;

/**
 * The founder's whole journey with every app on a Redis Cluster of three masters (REDIS_CLUSTER), as past one
 * host: BullMQ's queues, the founder event streams and their wake-ups, the rate limits, the event tickets and the
 * caches. A cluster refuses a transaction or script whose keys hash to different slots, and a key built outside
 * the prefix's hash tag lands on whichever node owns its slot: so at the end every key the run wrote must sit
 * in the slot of the prefix's tag.
 */
describe('the platform on a Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let database: FreshDatabase;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    database = await createFreshDatabase(testInfra().databaseUrl, 'cluster');
  });

  afterAll(async () => {
    await cluster?.stop();
    await database?.drop();
  });

  it('takes a founder from sign-up to payment, live events and limits working, every key in the prefix slot', async () => {
    const prefix = `{dreamseed-${randomBytes(4).toString('hex')}}`;
    const platform = await startPlatform('cluster', {
      DATABASE_URL: database.url,
      REDIS_URL: cluster.url,
      REDIS_CLUSTER: 'true',
      QUEUE_PREFIX: prefix,
      VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET,
      RATE_LIMIT_SIGN_IN_PER_5_MIN: String(SIGN_IN_LIMIT),
    });
    const failure = () => `${platform.process.output()}\n${cluster.output()}`;
    let stream: Awaited<ReturnType<typeof openEventStream>> | undefined;
    try {
      // Sign-up, four calls as VAPI delivers them, the Dream DNA, a domain and the local provider's payment.
      const demo = runTs('tools/demo.ts', { GATEWAY_URL: platform.gatewayUrl, VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET });
      // Once the founder exists, their app opens the live events with a ticket, as a browser does.
      const email = await waitFor(() => /Founder (\S+@\S+) /.exec(demo.output())?.[1], 'the demo founder', 30_000);
      const api = founderApi(platform.gatewayUrl);
      await api.signIn(email);
      const { ticket } = await api.post('/v1/me/events/ticket');
      stream = await openEventStream(`${platform.gatewayUrl}/v1/me/events?ticket=${String(ticket)}`);
      expect(stream.status).toBe(200);

      const code = await exitWithin(demo, 120_000);
      const output = demo.output();
      expect({ code, output: code === 0 ? 'ok' : output }).toEqual({ code: 0, output: 'ok' });
      await expectPaidFounder(api, /Domain selected: (\S+)/.exec(output)?.[1]);

      // The events the journey published after the stream opened reached it: appended on the slot's node, woken
      // through the cluster's pub/sub from whichever node the gateway's subscriber sits on.
      const live = stream;
      await waitFor(() => live.events.some((event) => event.event === 'payment.updated'), 'the payment on the live stream', 15_000);
      expect(live.events.map((event) => event.event)).toEqual(expect.arrayContaining(['analysis.ready', 'domain.selected', 'payment.updated']));

      // The sign-in limit, counted on the cluster: two of four spent above, two more pass, the next is refused.
      const signIns: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const response = await fetch(`${platform.gatewayUrl}/auth/v1/token?grant_type=password`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: DEMO_PASSWORD }),
        });
        signIns.push(response.status);
        if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(signIns).toEqual([200, 200, 429]);

      // Every key of the run in the slot of the prefix's tag, on the one master that owns it.
      const keys = await keysOf(cluster);
      const [first] = cluster.ports;
      const slotOf = (key: string) => cluster.node(first as number).cluster('KEYSLOT', key);
      const slot = await slotOf(`${prefix}:queue`);
      const slots = await Promise.all(keys.map(async ({ key }) => ({ key, slot: await slotOf(key) })));
      expect(slots.filter((entry) => entry.slot !== slot).map((entry) => entry.key)).toEqual([]);
      expect(new Set(keys.map(({ port }) => port)).size).toBe(1);
      // The queues, the founder's event stream, the sign-in counts and the domain answers among them.
      const families = [...QUEUE_NAMES.map((queue) => `${prefix}:${queue}:`), ...['events', 'limits:sign-in', 'domain:availability'].map((kind) => `${prefix}:${kind}:`)];
      expect(families.filter((family) => !keys.some(({ key }) => key.startsWith(family)))).toEqual([]);
      const counted = await Promise.all(cluster.ports.map((port) => cluster.node(port).cluster('COUNTKEYSINSLOT', slot)));
      expect(counted.reduce((sum, count) => sum + count, 0)).toBe(keys.length);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${failure()}`);
    } finally {
      stream?.close();
      await platform.stop();
    }
  });
});

/** Every key on every node of the cluster (the run's own: the cluster is new), with the node it is on. */
async function keysOf(cluster: LocalRedisCluster): Promise<{ key: string; port: number }[]> {
  const found: { key: string; port: number }[] = [];
  for (const port of cluster.ports) {
    let cursor = '0';
    do {
      const [next, keys] = await cluster.node(port).scan(cursor, 'COUNT', 1000);
      cursor = next;
      found.push(...keys.map((key) => ({ key, port })));
    } while (cursor !== '0');
  }
  return found;
}
