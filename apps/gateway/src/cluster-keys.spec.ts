/**
 * In a Redis Cluster every key of the platform must hash to the queue prefix's tag (see libs/platform redis.ts):
 * the keys the gateway builds itself, beside BullMQ's and the founder event streams', do.
 */
import { createLogger, hashedPartOf, type RedisConnection } from '@dreamseed/platform';
import { limitsKeyPrefix } from './auth/limits';
import { EventTickets } from './events/tickets';
import { SampleCalls } from './http/sample-call';

const PREFIX = 'prod-{dreamseed}';

/** A Redis that records the key of every command and answers as if nothing were stored. */
function recordingRedis(): { redis: RedisConnection; keys: string[] } {
  const keys: string[] = [];
  const answers: Record<string, unknown> = { set: 'OK', exists: 0 };
  const redis = new Proxy(
    {},
    {
      get: (_target, command: string) =>
        command === 'status'
          ? 'ready'
          : async (key: string) => {
              keys.push(key);
              return answers[command] ?? null;
            },
    },
  );
  return { redis: redis as RedisConnection, keys };
}

describe("the gateway's own Redis keys", () => {
  it('share the prefix tag: rate limits, event tickets, sample-call locks', async () => {
    const { redis, keys } = recordingRedis();
    await new EventTickets(redis, PREFIX).issue({ founderId: 'f', userId: 'u', sessionId: 's' });
    const logger = createLogger({ service: 'test', version: 'test', level: 'silent' });
    await new SampleCalls({ enabled: true, redis, prefix: PREFIX, take: async () => undefined, logger, paceMs: 0 }).isPlaying('user-1');
    // rate-limiter-flexible stores `<keyPrefix>:<key>`.
    keys.push(`${limitsKeyPrefix(PREFIX, 'sign-in')}:127.0.0.1`);
    expect(keys).toHaveLength(3);
    expect(keys.map(hashedPartOf)).toEqual(keys.map(() => 'dreamseed'));
  });
});
