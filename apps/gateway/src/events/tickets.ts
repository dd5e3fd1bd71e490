import { createHash, randomBytes } from 'node:crypto';
import { AppError, platformKey, type RedisConnection } from '@dreamseed/platform';

/**
 * One-use tickets that let a browser open the founder's event stream: `EventSource` cannot send an
 * `Authorization` header, and an access token in a URL would outlive the request in histories and proxy logs.
 * A ticket is short-lived, spent on first use (GETDEL, so two replicas cannot both take it) and bound to the
 * founder and the session that asked for it. Redis keeps only its hash: a copy of Redis opens no stream.
 */

export const TICKET_TTL_MS = 60_000;

/** Who a ticket was issued to. */
export interface TicketHolder {
  founderId: string;
  /** The auth user (`sub`) and session (`session_id`) of the access token that asked for it. */
  userId: string;
  sessionId: string;
}

export const invalidTicket = () =>
  new AppError(401, 'invalid_ticket', 'The events ticket is unknown, expired or already used; ask POST /v1/me/events/ticket for a new one.');

export class EventTickets {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async issue(holder: TicketHolder): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + TICKET_TTL_MS);
    await this.redis.set(this.keyOf(ticket), JSON.stringify(holder), 'PX', TICKET_TTL_MS, 'NX');
    return { ticket, expiresAt };
  }

  /** Spends a ticket: its holder, or 401 `invalid_ticket`. */
  async redeem(ticket: string): Promise<TicketHolder> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) throw invalidTicket();
    const stored = await this.redis.getdel(this.keyOf(ticket));
    if (!stored) throw invalidTicket();
    return JSON.parse(stored) as TicketHolder;
  }

  private keyOf(ticket: string) {
    return platformKey(this.prefix, 'events', 'ticket', createHash('sha256').update(ticket).digest('base64url'));
  }
}
