/** The founder's milestones the gateway streams (GET /v1/me/events). */
export const LIVE_EVENT_TYPES = ['call.updated', 'call.completed', 'analysis.ready', 'dream_dna.changed', 'domain.selected', 'payment.updated', 'formation.changed'] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

export interface LiveEvent {
  type: LiveEventType;
  id: string;
  data: unknown;
}

/** connecting → live; reconnecting after a drop; unavailable when this gateway has no event stream. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'unavailable';

/** The part of EventSource this uses, so tests can stand in for it. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export interface LiveEventStreamOptions {
  /** A single-use ticket for the stream, or 'unavailable' when the gateway has no such route (404). */
  ticket(): Promise<string | 'unavailable'>;
  open(url: string): EventSourceLike;
  onEvent(event: LiveEvent): void;
  onStatus(status: LiveStatus): void;
  /** The stream is back after a drop: events may have been missed beyond what last_event_id replays. */
  onReconnected(): void;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * The founder's event stream, kept open. A ticket opens one stream once, so EventSource's own reconnect (same
 * URL, same ticket) cannot work: on any error the source is closed, and after a backoff (doubling, capped,
 * with jitter so that many tabs do not return together) a new ticket opens a new source that resumes after
 * the last event seen.
 */
export class LiveEventStream {
  private source?: EventSourceLike;
  private timer?: unknown;
  private failures = 0;
  private lastEventId?: string;
  private everOpened = false;
  private stopped = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: LiveEventStreamOptions) {
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  start() {
    this.stopped = false;
    void this.connect();
  }

  stop() {
    this.stopped = true;
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.source?.close();
    this.source = undefined;
  }

  /** The wait before attempt n+1: half fixed, half random, so the spread never falls to zero. */
  delayFor(failures: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(failures - 1, 0));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private async connect() {
    if (this.stopped) return;
    this.options.onStatus(this.everOpened || this.failures > 0 ? 'reconnecting' : 'connecting');
    let ticket: string;
    try {
      const answer = await this.options.ticket();
      if (answer === 'unavailable') {
        this.options.onStatus('unavailable');
        return;
      }
      ticket = answer;
    } catch {
      this.retryLater();
      return;
    }
    if (this.stopped) return;
    const query = new URLSearchParams({ ticket });
    if (this.lastEventId) query.set('last_event_id', this.lastEventId);
    const source = this.options.open(`/v1/me/events?${query.toString()}`);
    this.source = source;
    source.onopen = () => {
      const wasReconnect = this.everOpened || this.failures > 0;
      this.failures = 0;
      this.everOpened = true;
      this.options.onStatus('live');
      if (wasReconnect) this.options.onReconnected();
    };
    source.onerror = () => {
      if (this.source !== source) return;
      source.close();
      this.source = undefined;
      this.retryLater();
    };
    for (const type of LIVE_EVENT_TYPES) {
      source.addEventListener(type, (event) => this.receive(type, event));
    }
  }

  private receive(type: LiveEventType, event: MessageEvent<string>) {
    if (event.lastEventId) this.lastEventId = event.lastEventId;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      data = undefined;
    }
    this.options.onEvent({ type, id: event.lastEventId, data });
  }

  private retryLater() {
    if (this.stopped) return;
    this.failures += 1;
    this.options.onStatus('reconnecting');
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      void this.connect();
    }, this.delayFor(this.failures));
  }
}
