import { Writable } from 'node:stream';
import { z } from 'zod';
import { baseConfigSchema, ConfigError, configVariables, describeConfig, envBoolean, parseConfig, secret, secretKeys } from './config';
import { createLogger } from './logger';

const schema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535),
  API_KEY: secret(z.string().min(10)),
  OPTIONAL_TOKEN: secret(z.string().min(4).optional()),
});

const validEnv = {
  DATABASE_URL: 'postgres://app:pw@db:5432/app',
  REDIS_URL: 'redis://cache:6379',
  PORT: '8080',
  API_KEY: 'abcdefghijklmnop',
};

describe('config', () => {
  it('parses, applies defaults and freezes the result', () => {
    const config = parseConfig('test-app', schema, validEnv);
    expect(config.PORT).toBe(8080);
    expect(config.QUEUE_PREFIX).toBe('dreamseed');
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe(8000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('listens on loopback and trusts no forwarded header unless told otherwise', () => {
    const config = parseConfig('test-app', schema, validEnv);
    expect([config.HOST, config.TRUST_PROXY, config.METRICS_PORT]).toEqual(['127.0.0.1', undefined, undefined]);
  });

  it('reads TRUST_PROXY as a hop count or a list of proxies, and refuses anything else by name', () => {
    const trust = (value: string) => parseConfig('test-app', schema, { ...validEnv, TRUST_PROXY: value }).TRUST_PROXY;
    expect(trust('1')).toBe(1);
    expect(trust('10.0.0.0/8, loopback ,fd00::/8,192.168.1.7')).toEqual(['10.0.0.0/8', 'loopback', 'fd00::/8', '192.168.1.7']);
    for (const wrong of ['true', '*', '10.0.0.0/33', '10.0.0', 'loopback,,', '11', 'proxy.internal']) {
      expect(() => trust(wrong)).toThrow(/TRUST_PROXY: .*is not a proxy: give the number of proxies/);
    }
  });

  it('reports every bad variable at once', () => {
    const env = { ...validEnv, DATABASE_URL: 'mysql://nope', REDIS_URL: undefined, PORT: 'eighty', API_KEY: 'short' };
    let error: unknown;
    try {
      parseConfig('test-app', schema, env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).issues.map((issue) => issue.key).sort();
    expect(keys).toEqual(['API_KEY', 'DATABASE_URL', 'PORT', 'REDIS_URL']);
    expect((error as ConfigError).message).toContain('test-app: invalid configuration');
  });

  it('never shows a secret value in its error message', () => {
    expect(() => parseConfig('test-app', schema, { ...validEnv, API_KEY: 'tiny-key' })).toThrow(ConfigError);
    try {
      parseConfig('test-app', schema, { ...validEnv, API_KEY: 'tiny-key' });
    } catch (error) {
      expect((error as Error).message).not.toContain('tiny-key');
    }
  });

  it('treats empty strings as unset', () => {
    const config = parseConfig('test-app', schema, { ...validEnv, LOG_LEVEL: '' });
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('knows its secret keys, through optional and default wrappers', () => {
    expect(secretKeys(schema).sort()).toEqual(['API_KEY', 'DATABASE_URL', 'INTERNAL_API_SECRET', 'OPTIONAL_TOKEN', 'REDIS_URL']);
  });

  it('keeps a secret mark and a description whichever wraps the other', () => {
    const described = z.object({
      MARKED_THEN_DESCRIBED: secret(z.string().optional()).describe('marked, then described'),
      DESCRIBED_THEN_MARKED: secret(z.string().describe('described, then marked')).default('x'),
    });
    expect(secretKeys(described)).toEqual(['MARKED_THEN_DESCRIBED', 'DESCRIBED_THEN_MARKED']);
    expect(configVariables(described).map((variable) => variable.description)).toEqual(['marked, then described', 'described, then marked']);
  });

  it('reads what the docs need through defaults, optionals and pipes', () => {
    const documented = z.object({
      FLAG: envBoolean.default(false).describe('a flag'),
      LIMIT: z.coerce.number().default(5).pipe(z.number().min(1)).describe('a limit'),
      NEEDED: z.string(),
    });
    expect(configVariables(documented)).toEqual([
      { key: 'FLAG', description: 'a flag', secret: false, required: false, default: { value: false }, choices: expect.arrayContaining(['true', 'no']) },
      { key: 'LIMIT', description: 'a limit', secret: false, required: false, default: { value: 5 }, choices: undefined },
      { key: 'NEEDED', description: undefined, secret: false, required: true, default: undefined, choices: undefined },
    ]);
  });

  it('redacts secrets from the config summary and the logger', () => {
    const config = parseConfig('test-app', schema, { ...validEnv, OPTIONAL_TOKEN: 'hunter2hunter2' });
    const summary = describeConfig(schema, config);
    expect(summary.API_KEY).toBe('[secret]');
    expect(summary.PORT).toBe(8080);

    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ service: 's', version: '1', secretKeys: secretKeys(schema), destination: sink });
    logger.info({ config, user: { email: 'founder@example.com', password: 'pw' } }, 'starting');
    const output = lines.join('');
    expect(output).not.toContain('abcdefghijklmnop');
    expect(output).not.toContain('hunter2hunter2');
    expect(output).not.toContain('app:pw@db');
    expect(output).not.toContain('founder@example.com');
    expect(JSON.parse(output)).toMatchObject({ service: 's', version: '1' });
  });
});
