import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitWithin, runTs } from '@dreamseed/testing';
import { resolveInfrastructure } from './infra';

describe('npm start without Postgres or Redis', () => {
  jest.setTimeout(120_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dreamseed-data-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs an embedded PGlite and a redis-server with an append-only file, migrated and usable, twice over', async () => {
    for (const round of [1, 2]) {
      const run = runTs(`tools/__fixtures__/embedded-infra.ts`, {}, undefined, [dataDir]);
      expect(await exitWithin(run, 90_000)).toBe(0);
      const seen = JSON.parse(run.output().trim().split('\n').at(-1) ?? '{}');
      expect(seen.embeddedPostgres).toBe(true);
      expect(seen.notes.join('\n')).toContain('embedded PGlite');
      expect(seen.notes.join('\n')).toContain('redis-server from PATH');
      // The data survives a restart: the second round finds everything migrated and the first row still there.
      expect(Object.values(seen.applied).every((n) => (round === 1 ? Number(n) > 0 : n === 0))).toBe(true);
      expect(seen.users).toBe(round);
      expect(seen.appendonly).toBe('yes');
      expect(seen.policy).toBe('noeviction');
    }
    expect(existsSync(path.join(dataDir, 'redis'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'pglite'))).toBe(true);
  });

  it('stops with one message naming what to install or set when there is no Redis to be had', async () => {
    const run = runTs('tools/__fixtures__/embedded-infra.ts', { PATH: '/nonexistent' }, undefined, [dataDir]);
    expect(await exitWithin(run, 90_000)).toBe(1);
    expect(run.output()).toContain('No Redis found. Set REDIS_URL, start Redis on 127.0.0.1:6379, or install redis-server');
  });

  it('resolves to the configured URLs without starting anything', async () => {
    const infra = await resolveInfrastructure(
      { DATABASE_URL: 'postgres://u@db.example:5432/x', REDIS_URL: 'redis://cache.example:6379' },
      dataDir,
      { postgres: 1, redis: 2 },
    );
    expect(infra).toMatchObject({
      databaseUrl: 'postgres://u@db.example:5432/x',
      redisUrl: 'redis://cache.example:6379',
      embeddedPostgres: false,
    });
    await infra.stop();
  });
});
