import { captureLogs } from './__fixtures__/capture-logs';
import { lazyChild } from './logger';

describe('redaction', () => {
  it("drops a caller's details and what was said, at the top or nested as VAPI sends them", async () => {
    const { lines, logger } = captureLogs('info');
    const customer = { number: '+14155550123', name: 'Ada' };
    logger.info({ customer, ip: '203.0.113.9', message: { call: { customer, id: 'call-1' }, transcript: 'I sell bread', customerName: 'Ada' } }, 'vapi');
    logger.info({ call: { id: 'call-2', customerNumber: '+14155550123' }, type: 'status-update' }, 'call');
    await new Promise((resolve) => setImmediate(resolve));
    const text = JSON.stringify(lines);
    for (const personal of ['+14155550123', 'Ada', '203.0.113.9', 'I sell bread']) expect(text).not.toContain(personal);
    expect(lines[0]?.message).toMatchObject({ call: { id: 'call-1' } });
    expect(lines[1]).toMatchObject({ call: { id: 'call-2' }, type: 'status-update' });
  });
});

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
