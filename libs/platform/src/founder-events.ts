import type { Logger } from 'pino';
import { founderEventSchemas, isFounderEventType, type FounderEvent, type FounderEventData, type FounderEventType } from '@dreamseed/contracts';
import { platformKey, type RedisConnection } from './redis';

/**
 * The founder's milestones as a Redis Stream per founder, which any gateway replica reads: the entry id is the
 * event's id (and the client's `Last-Event-ID`), so a client that reconnects anywhere resumes where it was.
 * Each append also publishes on a channel of the same name, carrying nothing: a wake-up for the replicas
 * serving that founder, which then read the stream from their last id. Pub/sub alone may lose a message while a
 * connection is down; the stream does not, so a reader that reconnects catches up from it.
 * In a Redis Cluster the append's MULTI holds one key (PUBLISH names none), and a PUBLISH reaches the subscribers
 * of every node, so a replica's subscriber may sit on any of them.
 */

/** Entries kept per founder (trimmed approximately, as Redis does cheaply): far more than a reconnect needs. */
export const FOUNDER_EVENTS_MAX_LENGTH = 1000;
/** A founder's stream left quiet this long is dropped whole; their app reads the current state on connect anyway. */
const FOUNDER_EVENTS_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** The stream (and wake-up channel) of one founder's events. */
export const founderEventsKey = (prefix: string, founderId: string) => platformKey(prefix, 'events', founderId);

/** A stream entry id (`<ms>-<seq>`), as `Last-Event-ID` must be. */
export const STREAM_ENTRY_ID = /^\d{1,20}-\d{1,20}$/;

/**
 * Appends one event to the founder's stream and wakes the replicas serving them, in one round trip (MULTI).
 * Call it only after the change has committed. The data is checked against its contract first. Returns the
 * entry id; throws when Redis cannot take it (see `FounderEventPublisher` for the caller that must not fail).
 */
export async function publishFounderEvent<T extends FounderEventType>(
  redis: RedisConnection,
  prefix: string,
  founderId: string,
  type: T,
  data: FounderEventData<T>,
): Promise<string> {
  const parsed = founderEventSchemas[type].parse(data);
  const key = founderEventsKey(prefix, founderId);
  const results = await redis
    .multi()
    .xadd(key, 'MAXLEN', '~', FOUNDER_EVENTS_MAX_LENGTH, '*', 'type', type, 'data', JSON.stringify(parsed))
    .pexpire(key, FOUNDER_EVENTS_RETENTION_MS)
    .publish(key, '')
    .exec();
  const [added] = results ?? [];
  if (!added || added[0]) throw added?.[0] ?? new Error('the event transaction was discarded');
  return added[1] as string;
}

/** Publishes founder events for code whose change has already committed: a failure is logged, never thrown. */
export class FounderEventPublisher {
  constructor(private readonly options: { redis: RedisConnection; prefix: string; logger: Logger }) {}

  /** The entry id, or undefined when the event could not be published (the founder's app re-reads on reconnect). */
  async publish<T extends FounderEventType>(founderId: string, type: T, data: FounderEventData<T>): Promise<string | undefined> {
    try {
      return await publishFounderEvent(this.options.redis, this.options.prefix, founderId, type, data);
    } catch (error) {
      this.options.logger.warn({ err: error, type }, 'founder event not published; the app catches up when it reads again');
      return undefined;
    }
  }
}

/** The founder's events after `afterId` (exclusive), oldest first, at most `count`. Entries of unknown types are skipped. */
export async function readFounderEvents(redis: RedisConnection, prefix: string, founderId: string, afterId: string, count: number): Promise<FounderEvent[]> {
  const entries = await redis.xrange(founderEventsKey(prefix, founderId), `(${afterId}`, '+', 'COUNT', count);
  return entries.flatMap(([id, fields]) => {
    const event = eventOf(id, fields);
    return event ? [event] : [];
  });
}

/** The id of the founder's newest event, or `0-0` when the stream is empty or gone: where a fresh reader starts. */
export async function latestFounderEventId(redis: RedisConnection, prefix: string, founderId: string): Promise<string> {
  const [newest] = await redis.xrevrange(founderEventsKey(prefix, founderId), '+', '-', 'COUNT', 1);
  return newest?.[0] ?? '0-0';
}

function eventOf(id: string, fields: string[]): FounderEvent | undefined {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i] as string, fields[i + 1] as string);
  const type = values.get('type');
  const data = values.get('data');
  if (!type || !isFounderEventType(type) || data === undefined) return undefined;
  return { id, type, data: JSON.parse(data) as FounderEventData<typeof type> };
}
