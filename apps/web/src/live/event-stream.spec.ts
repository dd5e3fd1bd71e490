import { describe, expect, it } from 'vitest';
import { LiveEventStream, type EventSourceLike, type LiveEvent, type LiveStatus } from './event-stream';

class FakeSource implements EventSourceLike {
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private listeners = new Map<string, (event: MessageEvent<string>) => void>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, listener);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.(new Event('open'));
  }
  fail() {
    this.onerror?.(new Event('error'));
  }
  emit(type: string, id: string, data: unknown) {
    this.listeners.get(type)?.(new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id }));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function harness(tickets: (string | 'unavailable' | Error)[]) {
  const sources: FakeSource[] = [];
  const events: LiveEvent[] = [];
  const statuses: LiveStatus[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  let reconnected = 0;
  const stream = new LiveEventStream({
    ticket: async () => {
      const next = tickets.shift() ?? 'spare-ticket';
      if (next instanceof Error) throw next;
      return next;
    },
    open: (url) => {
      const source = new FakeSource(url);
      sources.push(source);
      return source;
    },
    onEvent: (event) => events.push(event),
    onStatus: (status) => statuses.push(status),
    onReconnected: () => (reconnected += 1),
    random: () => 0.5,
    setTimer: (run, ms) => timers.push({ run, ms }),
    clearTimer: () => undefined,
  });
  return { stream, sources, events, statuses, timers, reconnected: () => reconnected };
}

describe('the live event stream', () => {
  it('opens with a ticket and passes on events with their data', async () => {
    const h = harness(['t1']);
    h.stream.start();
    await settle();
    expect(h.sources[0]?.url).toBe('/v1/me/events?ticket=t1');
    h.sources[0]?.open();
    h.sources[0]?.emit('call.completed', '7', { call_stage: 1 });
    expect(h.events).toEqual([{ type: 'call.completed', id: '7', data: { call_stage: 1 } }]);
    expect(h.statuses).toEqual(['connecting', 'live']);
  });

  it('on an error closes the source and reopens with a new ticket after the last event seen', async () => {
    const h = harness(['t1', 't2']);
    h.stream.start();
    await settle();
    h.sources[0]?.open();
    h.sources[0]?.emit('payment.updated', '41', {});
    h.sources[0]?.fail();
    expect(h.sources[0]?.closed).toBe(true);
    expect(h.timers).toHaveLength(1);
    h.timers[0]?.run();
    await settle();
    expect(h.sources[1]?.url).toBe('/v1/me/events?ticket=t2&last_event_id=41');
    h.sources[1]?.open();
    expect(h.reconnected()).toBe(1);
    expect(h.statuses.at(-1)).toBe('live');
  });

  it('backs off, doubling with jitter up to a cap, and starts over once connected', async () => {
    const h = harness([new Error('offline'), new Error('offline'), new Error('offline'), new Error('offline'), new Error('offline'), new Error('offline'), 't7']);
    h.stream.start();
    for (let i = 0; i < 7; i += 1) {
      await settle();
      h.timers.at(-1)?.run();
    }
    await settle();
    expect(h.timers.map((t) => t.ms)).toEqual([750, 1500, 3000, 6000, 12000, 22500]);
    expect(h.stream.delayFor(20)).toBe(22500);
  });

  it('stays quiet when the gateway has no event stream', async () => {
    const h = harness(['unavailable']);
    h.stream.start();
    await settle();
    expect(h.sources).toHaveLength(0);
    expect(h.timers).toHaveLength(0);
    expect(h.statuses.at(-1)).toBe('unavailable');
  });

  it('stops for good: no reconnect after stop', async () => {
    const h = harness(['t1']);
    h.stream.start();
    await settle();
    h.stream.stop();
    h.sources[0]?.fail();
    expect(h.sources[0]?.closed).toBe(true);
    expect(h.timers).toHaveLength(0);
  });
});
