import type { Redis } from 'ioredis';
import { captureLogs } from './__fixtures__/capture-logs';
import { FOUNDER_EVENTS_MAX_LENGTH, FounderEventPublisher, publishFounderEvent, readFounderEvents } from './founder-events';

const FOUNDER = '6f1c1f0e-2b1a-4c43-9d49-3c1f3f7f9a10';
const AT = '2026-11-20T10:00:00.000Z';

/** A Redis that records each MULTI's commands and answers them as `answer` says. */
function fakeRedis(answer: (commands: unknown[][]) => [Error | null, unknown][] | null | Promise<never>) {
  const transactions: unknown[][][] = [];
  const multi = () => {
    const commands: unknown[][] = [];
    const chain = {
      xadd: (...args: unknown[]) => (commands.push(['xadd', ...args]), chain),
      pexpire: (...args: unknown[]) => (commands.push(['pexpire', ...args]), chain),
      publish: (...args: unknown[]) => (commands.push(['publish', ...args]), chain),
      exec: async () => {
        transactions.push(commands);
        return answer(commands);
      },
    };
    return chain;
  };
  return { redis: { multi } as unknown as Redis, transactions };
}

describe('publishFounderEvent', () => {
  it('appends to the founder\'s capped stream and wakes its readers in one transaction, answering the entry id', async () => {
    const { redis, transactions } = fakeRedis((commands) => commands.map(() => [null, '1700000000000-0']));
    const id = await publishFounderEvent(redis, 'pfx', FOUNDER, 'call.completed', { call_stage: 2, occurred_at: AT });
    expect(id).toBe('1700000000000-0');
    const key = `pfx:events:${FOUNDER}`;
    expect(transactions).toEqual([
      [
        ['xadd', key, 'MAXLEN', '~', FOUNDER_EVENTS_MAX_LENGTH, '*', 'type', 'call.completed', 'data', JSON.stringify({ call_stage: 2, occurred_at: AT })],
        ['pexpire', key, expect.any(Number)],
        ['publish', key, ''],
      ],
    ]);
  });

  it('refuses data outside the event\'s contract before anything reaches Redis', async () => {
    const { redis, transactions } = fakeRedis(() => null);
    const withPhone = { call_stage: 2, occurred_at: AT, customer_phone: '+14155550100' } as unknown as { call_stage: number; occurred_at: string };
    await expect(publishFounderEvent(redis, 'pfx', FOUNDER, 'call.completed', withPhone)).rejects.toThrow();
    await expect(publishFounderEvent(redis, 'pfx', FOUNDER, 'domain.selected', { domain: 'x', occurred_at: AT })).rejects.toThrow();
    expect(transactions).toEqual([]);
  });

  it('throws when Redis refuses the append or discards the transaction', async () => {
    const refused = fakeRedis(() => [[new Error('OOM'), null], [null, 1], [null, 0]]);
    await expect(publishFounderEvent(refused.redis, 'pfx', FOUNDER, 'dream_dna.changed', { version: 3, occurred_at: AT })).rejects.toThrow('OOM');
    const discarded = fakeRedis(() => null);
    await expect(publishFounderEvent(discarded.redis, 'pfx', FOUNDER, 'dream_dna.changed', { version: 3, occurred_at: AT })).rejects.toThrow('discarded');
  });
});

describe('FounderEventPublisher', () => {
  it('logs a failed publish instead of throwing: the change it reports has already committed', async () => {
    const { redis } = fakeRedis(() => Promise.reject(new Error('Connection is closed.')));
    const { logger, lines } = captureLogs('warn');
    const publisher = new FounderEventPublisher({ redis, prefix: 'pfx', logger });
    await expect(publisher.publish(FOUNDER, 'analysis.ready', { dream_dna_version: 1, occurred_at: AT })).resolves.toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ type: 'analysis.ready', msg: expect.stringContaining('not published') })]);
  });
});

describe('readFounderEvents', () => {
  it('reads after an id, exclusively, and skips entries it cannot name', async () => {
    const calls: unknown[][] = [];
    const redis = {
      xrange: async (...args: unknown[]) => {
        calls.push(args);
        return [
          ['5-0', ['type', 'domain.selected', 'data', JSON.stringify({ domain: 'seedbakery.com', occurred_at: AT })]],
          ['5-1', ['type', 'something.else', 'data', '{}']],
        ];
      },
    } as unknown as Redis;
    expect(await readFounderEvents(redis, 'pfx', FOUNDER, '4-0', 50)).toEqual([{ id: '5-0', type: 'domain.selected', data: { domain: 'seedbakery.com', occurred_at: AT } }]);
    expect(calls).toEqual([[`pfx:events:${FOUNDER}`, '(4-0', '+', 'COUNT', 50]]);
  });
});
