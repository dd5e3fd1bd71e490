import { Writable } from 'node:stream';
import pino from 'pino';
import { isLoopbackHost, warnOfExposedDevelopmentSecrets } from './development-secrets';
import { DEVELOPMENT_JWT_SECRET } from './founder-token';
import { DEVELOPMENT_PAYLOAD_KEY } from './sealed-payload';

function warnings(config: { HOST: string } & Record<string, unknown>) {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => done(void lines.push(JSON.parse(chunk.toString()))) }));
  const warned = warnOfExposedDevelopmentSecrets(config, logger);
  return { warned, text: lines.map((line) => line.msg).join('\n'), output: JSON.stringify(lines) };
}

describe('development secrets on a reachable address', () => {
  it('warns loudly, by name and never by value, when a development secret is served beyond loopback', () => {
    const { warned, text, output } = warnings({ HOST: '0.0.0.0', JWT_SECRET: DEVELOPMENT_JWT_SECRET, PAYLOAD_ENCRYPTION_KEY: DEVELOPMENT_PAYLOAD_KEY });
    expect(warned).toBe(true);
    expect(text).toMatch(/^DANGER: listening on 0\.0\.0\.0 with the public development value of JWT_SECRET and PAYLOAD_ENCRYPTION_KEY/);
    expect(output).not.toContain(DEVELOPMENT_JWT_SECRET);
    expect(output).not.toContain(DEVELOPMENT_PAYLOAD_KEY);
  });

  it('stays quiet on loopback, and with secrets of its own', () => {
    expect(warnings({ HOST: '127.0.0.1', JWT_SECRET: DEVELOPMENT_JWT_SECRET }).warned).toBe(false);
    expect(warnings({ HOST: '0.0.0.0', JWT_SECRET: 'a-secret-of-its-own-that-is-long-enough' }).warned).toBe(false);
  });

  it('counts only this machine as loopback', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.4', 'example.com', '128.0.0.1'].some(isLoopbackHost)).toBe(false);
  });
});
