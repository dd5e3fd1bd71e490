import type { ServerResponse } from 'node:http';
import type { FounderEvent } from '@dreamseed/contracts';
import { AppError, closeRedis, createRedis, founderEventsKey, latestFounderEventId, readFounderEvents, type Logger, type RedisConnection } from '@dreamseed/platform';

/** Entries read from a founder's stream at a time; a stream further behind is read again at once. */
const READ_BATCH = 100;

export interface EventHubOptions {
  redisUrl: string;
  /** `redisUrl` names seed nodes of a Redis Cluster (REDIS_CLUSTER). */
  redisCluster: boolean;
  prefix: string;
  logger: Logger;
  /** How often every stream gets a `: ping` comment, and its session is checked. */
  heartbeatMs: number;
  /** Bytes a client may leave unread before it is dropped. */
  maxBufferedBytes: number;
  /** Of these sessions, the ones still live (not signed out, user not deleted or banned). */
  liveSessions: (sessionIds: string[]) => Promise<Set<string>>;
}

/** One open stream: a founder's app, as of the last event it was sent. */
interface Stream {
  founderId: string;
  sessionId: string;
  res: ServerResponse;
  lastId: string;
  reading: boolean;
  readAgain: boolean;
  closed: boolean;
}

export const eventsUnavailable = () =>
  new AppError(503, 'events_unavailable', 'Live events cannot be served right now. Try again shortly.', undefined, { 'Retry-After': '5' });

/**
 * Every open event stream of this gateway process, served from two Redis connections whatever their number:
 * - a subscriber on the wake-up channel of each founder served here (subscribed with the founder's first
 *   stream, unsubscribed with the last);
 * - a reader that, on each wake-up, reads the founder's stream (XRANGE) after each of their streams' last id.
 * A wake-up carries nothing, so a lost one loses nothing: when the subscriber reconnects after Redis dropped,
 * every stream is read again from its last id. One timer pings every stream and ends those whose session has
 * ended (sign-out, reuse detection, account deletion), checked in one query for all.
 */
export class FounderEventHub {
  /** The streams of each founder served here, and their wake-up subscription (made with the first stream). */
  private readonly byFounder = new Map<string, { streams: Set<Stream>; subscribed: Promise<unknown> }>();
  private connections?: { reader: RedisConnection; subscriber: RedisConnection };
  private heartbeat?: NodeJS.Timeout;
  /** A beat still checking sessions when the next is due: the next is skipped, not stacked. */
  private beating = false;
  private stopped = false;

  constructor(private readonly options: EventHubOptions) {}

  /** Opens the connections and starts the heartbeat; until then (and after `stop`) streams are refused. */
  start(): void {
    const { redisUrl, redisCluster: cluster, logger, heartbeatMs, prefix } = this.options;
    // Both wait out a Redis outage (offline queue), then resume: the reader's reads complete after it. Named
    // with the prefix, so that an operator (or a test) can tell which platform's streams a connection serves.
    const reader = createRedis(redisUrl, 'worker', { name: `${prefix}-gateway-events-reader`, logger, cluster });
    const subscriber = createRedis(redisUrl, 'worker', { name: `${prefix}-gateway-events`, logger, cluster });
    const prefixLength = founderEventsKey(this.options.prefix, '').length;
    subscriber.on('message', (channel: string) => this.wake(channel.slice(prefixLength)));
    let wasReady = false;
    subscriber.on('ready', () => {
      if (wasReady) void this.catchUp();
      wasReady = true;
    });
    this.connections = { reader, subscriber };
    this.heartbeat = setInterval(() => void this.beat(), heartbeatMs);
  }

  /** Streams open on this process. */
  get size(): number {
    let size = 0;
    for (const { streams } of this.byFounder.values()) size += streams.size;
    return size;
  }

  /**
   * Serves the founder's events on `res` until the client leaves, the session ends or the gateway stops. With
   * `lastEventId`, what the stream holds after it is sent first; without, only what comes after now.
   */
  async open(res: ServerResponse, founder: { founderId: string; sessionId: string; lastEventId?: string }): Promise<void> {
    const connections = this.connections;
    if (this.stopped || !connections || connections.reader.status !== 'ready' || connections.subscriber.status !== 'ready') throw eventsUnavailable();
    const { reader, subscriber } = connections;
    const lastId = founder.lastEventId ?? (await latestFounderEventId(reader, this.options.prefix, founder.founderId));
    // The client may have left while the newest id was read: its 'close' has passed, so nothing would remove it.
    if (!res.socket || res.socket.destroyed) return;
    const stream: Stream = { founderId: founder.founderId, sessionId: founder.sessionId, res, lastId, reading: false, readAgain: false, closed: false };
    let founderStreams = this.byFounder.get(stream.founderId);
    if (!founderStreams) {
      founderStreams = { streams: new Set(), subscribed: subscriber.subscribe(this.channelOf(stream.founderId)) };
      this.byFounder.set(stream.founderId, founderStreams);
    }
    founderStreams.streams.add(stream);
    res.on('close', () => this.close(stream));
    try {
      // Subscribed before the first read: an event appended after that read wakes this stream.
      await founderStreams.subscribed;
    } catch (error) {
      this.close(stream);
      this.options.logger.warn({ err: error }, 'event wake-ups not subscribed');
      throw eventsUnavailable();
    }
    if (stream.closed) return;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // nginx (and proxies that follow it) would otherwise hold events back to fill a buffer.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    void this.read(stream);
  }

  /** Ends every stream (clients reconnect elsewhere and resume by id) and closes the connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    for (const stream of this.allStreams()) this.end(stream);
    const connections = this.connections;
    this.connections = undefined;
    if (connections) await Promise.all([closeRedis(connections.reader), closeRedis(connections.subscriber)]);
  }

  private allStreams(): Stream[] {
    return [...this.byFounder.values()].flatMap(({ streams }) => [...streams]);
  }

  private channelOf(founderId: string) {
    return founderEventsKey(this.options.prefix, founderId);
  }

  private wake(founderId: string) {
    for (const stream of this.byFounder.get(founderId)?.streams ?? []) void this.read(stream);
  }

  /** After the subscriber reconnects: subscribe again, then read every stream from its last id (what was missed). */
  private async catchUp() {
    const subscriber = this.connections?.subscriber;
    const founders = [...this.byFounder.keys()];
    if (!subscriber || founders.length === 0) return;
    try {
      await subscriber.subscribe(...founders.map((id) => this.channelOf(id)));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'event wake-ups not resubscribed; streams end so that clients resume elsewhere');
      for (const stream of this.allStreams()) this.end(stream);
      return;
    }
    for (const id of founders) this.wake(id);
  }

  /** Sends what the founder's stream holds after this stream's last id; one read per stream at a time. */
  private async read(stream: Stream): Promise<void> {
    if (stream.reading) {
      stream.readAgain = true;
      return;
    }
    const reader = this.connections?.reader;
    if (!reader) return;
    stream.reading = true;
    try {
      do {
        stream.readAgain = false;
        const events = await readFounderEvents(reader, this.options.prefix, stream.founderId, stream.lastId, READ_BATCH);
        for (const event of events) {
          if (stream.closed) return;
          this.send(stream, frameOf(event));
          stream.lastId = event.id;
        }
        if (events.length === READ_BATCH) stream.readAgain = true;
      } while (stream.readAgain && !stream.closed);
    } catch (error) {
      // The client reconnects and resumes from the last id it received.
      this.options.logger.warn({ err: error }, 'founder events could not be read; the stream ends');
      this.end(stream);
    } finally {
      stream.reading = false;
    }
  }

  /** Writes to a stream; a client that leaves more than the limit unread is dropped rather than buffered for. */
  private send(stream: Stream, text: string) {
    if (stream.closed) return;
    stream.res.write(text);
    if (stream.res.writableLength > this.options.maxBufferedBytes) {
      this.options.logger.info({ buffered: stream.res.writableLength }, 'slow events client dropped');
      this.close(stream);
      stream.res.destroy();
    }
  }

  /** Pings every stream, after ending those whose session has ended. */
  private async beat() {
    const streams = this.allStreams();
    if (streams.length === 0 || this.beating) return;
    let live: Set<string> | undefined;
    this.beating = true;
    try {
      live = await this.options.liveSessions([...new Set(streams.map((stream) => stream.sessionId))]);
    } catch (error) {
      // Postgres cannot say: streams carry on, and the next beat asks again.
      this.options.logger.warn({ err: error }, 'sessions of event streams not checked');
    } finally {
      this.beating = false;
    }
    for (const stream of streams) {
      if (live && !live.has(stream.sessionId)) this.end(stream);
      else this.send(stream, ': ping\n\n');
    }
  }

  private end(stream: Stream) {
    if (stream.closed) return;
    this.close(stream);
    stream.res.end();
  }

  private close(stream: Stream) {
    if (stream.closed) return;
    stream.closed = true;
    const founderStreams = this.byFounder.get(stream.founderId);
    if (!founderStreams?.streams.delete(stream) || founderStreams.streams.size > 0) return;
    this.byFounder.delete(stream.founderId);
    this.connections?.subscriber.unsubscribe(this.channelOf(stream.founderId)).catch(() => undefined);
  }
}

/** An event as the EventSource format frames it: its id, its type and its data on one line. */
export function frameOf(event: FounderEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
