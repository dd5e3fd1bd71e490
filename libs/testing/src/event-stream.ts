import { request, type IncomingHttpHeaders } from 'node:http';

/** One server-sent event as an EventSource would dispatch it. */
export interface ReceivedEvent {
  id?: string;
  event: string;
  data: string;
  /** `performance.now()` when its last line arrived. */
  receivedAt: number;
}

/**
 * A reader of a `text/event-stream` as a browser's EventSource reads one (id, event, data, comments), over
 * node:http so that a benchmark can hold a thousand of them. Resolves once the answer's head has arrived; an
 * answer that is not a stream is read whole into `body`.
 */
export interface EventStreamClient {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body of an answer that is not an event stream. */
  body: string;
  events: ReceivedEvent[];
  /** Comment lines (`: ping`), without the colon. */
  comments: string[];
  /** Resolves when the server ends the stream (or it breaks). */
  ended: Promise<void>;
  /** The first event `next` has not returned yet, waiting up to `timeoutMs` for it. */
  next(timeoutMs?: number): Promise<ReceivedEvent>;
  /** Calls `listener` for every event from now on. */
  onEvent(listener: (event: ReceivedEvent) => void): void;
  close(): void;
}

export function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      const listeners: ((event: ReceivedEvent) => void)[] = [];
      let ended!: () => void;
      let taken = 0;
      const client: EventStreamClient = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: '',
        events: [],
        comments: [],
        ended: new Promise<void>((done) => (ended = done)),
        next(timeoutMs = 5000) {
          const wanted = taken++;
          return new Promise((found, fail) => {
            if (client.events.length > wanted) return found(client.events[wanted] as ReceivedEvent);
            const timer = setTimeout(() => fail(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
            const listener = () => {
              if (client.events.length <= wanted) return;
              clearTimeout(timer);
              listeners.splice(listeners.indexOf(listener), 1);
              found(client.events[wanted] as ReceivedEvent);
            };
            listeners.push(listener);
          });
        },
        onEvent: (listener) => listeners.push(listener),
        close: () => req.destroy(),
      };
      const streaming = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      let buffer = '';
      let pending: Partial<ReceivedEvent> & { data?: string } = {};
      res.on('data', (chunk: string) => {
        if (!streaming) {
          client.body += chunk;
          return;
        }
        buffer += chunk;
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf('\n');
          if (line === '') {
            if (pending.data !== undefined) {
              const event: ReceivedEvent = { id: pending.id, event: pending.event ?? 'message', data: pending.data, receivedAt: performance.now() };
              client.events.push(event);
              for (const listener of [...listeners]) listener(event);
            }
            pending = {};
          } else if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
          else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') pending.data = pending.data === undefined ? value : `${pending.data}\n${value}`;
            else if (field === 'id' || field === 'event') pending[field] = value;
          }
        }
      });
      res.on('end', () => ended());
      res.on('close', () => ended());
      res.on('error', () => ended());
      if (streaming) resolve(client);
      else res.on('end', () => resolve(client));
    });
    req.on('error', reject);
    req.end();
  });
}
