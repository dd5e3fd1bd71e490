import { baseConfigSchema, checkRedisCluster, ConfigError, parseConfig } from './config';
import { founderEventsKey } from './founder-events';
import { hashedPartOf, platformKey, seedUrlsOf } from './redis';

const schema = baseConfigSchema.superRefine(checkRedisCluster);
const env = { DATABASE_URL: 'postgres://app:pw@db:5432/app', REDIS_URL: 'redis://cache:6379' };

function issuesOf(overrides: Record<string, string>): string[] {
  try {
    parseConfig('test-app', schema, { ...env, ...overrides });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => `${issue.key}: ${issue.message}`);
  }
}

describe('Redis Cluster mode in config', () => {
  it('is off by default, with one server and the plain prefix', () => {
    expect(parseConfig('test-app', schema, env)).toMatchObject({ REDIS_CLUSTER: false, QUEUE_PREFIX: 'dreamseed' });
  });

  it('refuses a prefix without a hash tag, saying why and what would do', () => {
    expect(issuesOf({ REDIS_CLUSTER: 'true', REDIS_URL: 'redis://node-1:6379' })).toEqual([
      expect.stringMatching(/^QUEUE_PREFIX: must hold a hash tag with REDIS_CLUSTER on, such as \{dreamseed\}: .*share a slot$/),
    ]);
    expect(issuesOf({ REDIS_CLUSTER: 'true', QUEUE_PREFIX: 'staging' })).toEqual([expect.stringContaining('such as {staging}')]);
  });

  it('takes seed nodes, comma-separated, and a tagged prefix', () => {
    const config = parseConfig('test-app', schema, {
      ...env,
      REDIS_CLUSTER: 'true',
      REDIS_URL: 'redis://:pw@node-1:7000, redis://node-2:7001,rediss://node-3',
      QUEUE_PREFIX: 'prod-{dreamseed}',
    });
    expect(config).toMatchObject({ REDIS_CLUSTER: true, QUEUE_PREFIX: 'prod-{dreamseed}' });
    expect(seedUrlsOf(config.REDIS_URL).map((url) => [url.hostname, url.port])).toEqual([
      ['node-1', '7000'],
      ['node-2', '7001'],
      ['node-3', ''],
    ]);
  });

  it('refuses several servers outside cluster mode, and URLs that are not Redis ones', () => {
    expect(issuesOf({ REDIS_URL: 'redis://node-1:7000,redis://node-2:7001' })).toEqual([expect.stringMatching(/^REDIS_URL: names several servers: set REDIS_CLUSTER=true/)]);
    expect(issuesOf({ REDIS_CLUSTER: 'true', REDIS_URL: 'redis://node-1:7000,http://node-2', QUEUE_PREFIX: '{x}' })).toEqual([
      expect.stringMatching(/^REDIS_URL: must be a redis or rediss URL/),
    ]);
  });

  it('accepts at most one well-formed hash tag in the prefix, in any mode', () => {
    for (const good of ['{dreamseed}', 'a-{b_1}-c', 'plain']) expect(issuesOf({ QUEUE_PREFIX: good })).toEqual([]);
    for (const bad of ['{}', '{a', 'a}', '{a}{b}', '{a:b}', 'a b']) {
      expect(issuesOf({ QUEUE_PREFIX: bad })).toEqual([expect.stringMatching(/^QUEUE_PREFIX: letters, digits/)]);
    }
  });
});

describe('platform keys in a cluster', () => {
  it('hash the tag alone, as Redis Cluster does', () => {
    expect(hashedPartOf('{dreamseed}:gateway:wait')).toBe('dreamseed');
    expect(hashedPartOf('prod-{dreamseed}:events:1')).toBe('dreamseed');
    expect(hashedPartOf('dreamseed:gateway:wait')).toBe('dreamseed:gateway:wait');
    expect(hashedPartOf('{}:x{y}')).toBe('{}:x{y}');
  });

  it('share the prefix tag: queues, founder event streams and every key built with platformKey', () => {
    const prefix = 'prod-{dreamseed}';
    const keys = [
      // BullMQ's own keys: `<prefix>:<queue>:<suffix>`.
      `${prefix}:gateway:wait`,
      founderEventsKey(prefix, '6f1c1f0e-2b1a-4c43-9d49-3c1f3f7f9a10'),
      platformKey(prefix, 'limits', 'sign-in', '127.0.0.1'),
      // Parts from outside may hold braces; the prefix's tag comes first, so it is still the one hashed.
      platformKey(prefix, 'domain', 'availability', '{weird}.com'),
    ];
    expect(keys.map(hashedPartOf)).toEqual(keys.map(() => 'dreamseed'));
    expect(founderEventsKey('dreamseed', 'f')).toBe('dreamseed:events:f');
  });
});
