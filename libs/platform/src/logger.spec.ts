import { captureLogs } from './__fixtures__/capture-logs';
import { lazyChild } from './logger';

describe('lazyChild', () => {
  it('makes no child while nothing is logged at an enabled level', () => {
    const { logger } = captureLogs('warn');
    const child = jest.spyOn(logger, 'child');
    const log = lazyChild(logger, { jobId: 'j-1' });
    log.info({ durationMs: 3 }, 'job done');
    log.debug('details');
    expect(child).not.toHaveBeenCalled();
  });

  it('logs with the bindings once used, and still redacts', async () => {
    const { lines, logger } = captureLogs('info');
    const log = lazyChild(logger, { jobId: 'j-2', correlationId: 'c-2' });
    log.info({ email: 'ada@example.com' }, 'job done');
    log.warn('careful');
    expect(log.isLevelEnabled('debug')).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => [line.msg, line.jobId, line.correlationId])).toEqual([
      ['job done', 'j-2', 'c-2'],
      ['careful', 'j-2', 'c-2'],
    ]);
    expect(lines[0]?.email).toBe('[redacted]');
  });
});
