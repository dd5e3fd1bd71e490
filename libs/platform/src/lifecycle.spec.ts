import { withDeadline } from './lifecycle';

describe('withDeadline', () => {
  const waitForAbort = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

  it('aborts with a TimeoutError at the deadline', async () => {
    const started = Date.now();
    await expect(withDeadline(50, undefined, waitForAbort)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("passes the outer signal's abort on, and answers what the work answers in time", async () => {
    const outer = new AbortController();
    const running = withDeadline(10_000, outer.signal, waitForAbort);
    outer.abort(new Error('shutting down'));
    await expect(running).rejects.toThrow('shutting down');
    await expect(withDeadline(10_000, new AbortController().signal, async () => 'done')).resolves.toBe('done');
  });
});
