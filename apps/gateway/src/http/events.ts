import express, { type Request, type Router } from 'express';
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { FOUNDER_EVENT_TYPES, founderEventSchemas } from '@dreamseed/contracts';
import { AppError, badRequest, STREAM_ENTRY_ID } from '@dreamseed/platform';
import type { AuthService } from '../auth/service';
import type { GatewayDb } from '../db/client';
import { authSessions, authUsers } from '../db/schema';
import { eventsUnavailable, type FounderEventHub } from '../events/hub';
import { invalidTicket, TICKET_TTL_MS, type EventTickets, type TicketHolder } from '../events/tickets';
import { founderOf } from './founder';
import { apiBearerToken, asApiCaller, requireApiUser } from './middleware';
import { describeRoutes, openApiRegistry } from './openapi';

const EventsTicket = z
  .object({
    ticket: z.string().openapi({ description: 'Opaque; pass as ?ticket= to GET /v1/me/events' }),
    expires_at: z.iso.datetime({ offset: true }),
  })
  .openapi('EventsTicket', { example: { ticket: 'x5fQbV0bq3d2p2f2lZ3JmY3k9m1rQn8a1oPjzq4Zx6E', expires_at: '2026-12-07T15:01:00.000Z' } });

const lastEventId = z.string().regex(STREAM_ENTRY_ID);
const streamQuery = z.object({
  ticket: z.string().optional().openapi({ description: 'From POST /v1/me/events/ticket (browsers); else send Authorization: Bearer' }),
  last_event_id: lastEventId.optional().openapi({ description: 'Resume after this event id: for a new EventSource, which cannot set Last-Event-ID' }),
});
const streamHeaders = z.object({ 'last-event-id': lastEventId.optional().openapi({ description: 'Resume after this event id (EventSource sends it when it reconnects)' }) });

// Each event's data in the document too, so that the typed client knows them (components EventCallUpdated, …).
// Cloned: zod gives a schema its methods when it is made, and the contracts' were made before `.openapi` existed.
const componentName = (type: string) => `Event${type.split(/[._]/).map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`).join('')}`;
for (const type of FOUNDER_EVENT_TYPES) openApiRegistry.register(componentName(type), founderEventSchemas[type].clone());

const STREAM_DESCRIPTION = [
  "The founder's milestones as server-sent events, each sent once its change has committed. Every event has",
  '`id:` (the id to resume after), `event:` (its type) and `data:` (one line of JSON, snake_case, with',
  '`occurred_at`). Types: `call.updated` {vapi_call_id, call_stage, status} as the voice service records a',
  'call (ringing, in-progress, ended, …); `call.completed` {call_stage}; `analysis.ready` {dream_dna_version};',
  '`dream_dna.changed` {version}; `domain.selected` {domain}; `payment.updated` {payment_status, amount_paid,',
  'currency, subscription_type}; `formation.changed` {case_id, change, state, domain_status}. Schemas: the Event*',
  'components. A `: ping` comment keeps the connection open',
  "(EVENTS_HEARTBEAT_MS). The stream ends when the session ends (sign-out) or the gateway stops; resume with",
  'Last-Event-ID or ?last_event_id= and a new ticket. Browsers authenticate with a one-use ticket, since',
  'EventSource cannot send Authorization; a used, expired or unknown ticket is 401 invalid_ticket.',
].join(' ');

describeRoutes(
  'founder',
  [
    [
      'post',
      '/v1/me/events/ticket',
      `A one-use ticket that opens the founder's event stream, valid ${TICKET_TTL_MS / 1000} s, bound to this session`,
      undefined,
      { responses: { 201: EventsTicket } },
    ],
    ['get', '/v1/me/events', "The founder's live events (server-sent events)", undefined, { query: streamQuery, headers: streamHeaders, eventStream: 'The event stream', description: STREAM_DESCRIPTION }],
  ],
  { bearer: true },
);

export interface EventsRouterDeps {
  auth: AuthService;
  db: GatewayDb;
  hub: FounderEventHub;
  tickets: EventTickets;
}

/** `/v1/me/events`: the founder's live events, and the tickets that let a browser open them. */
export function eventsRouter({ auth, db, hub, tickets }: EventsRouterDeps): Router {
  const router = express.Router();

  router.post('/ticket', requireApiUser(auth), async (req, res) => {
    const holder = await bearerHolder(req, db);
    const { ticket, expiresAt } = await orUnavailable(tickets.issue(holder));
    res.status(201).json({ ticket, expires_at: expiresAt.toISOString() });
  });

  router.get('/', async (req, res) => {
    const resumeFrom = lastEventIdOf(req);
    const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : undefined;
    let holder: TicketHolder;
    if (ticket !== undefined) {
      holder = await orUnavailable(tickets.redeem(ticket));
      // A ticket minted before its session ended must not open a stream.
      if (!(await liveSessions(db, [holder.sessionId])).has(holder.sessionId)) throw invalidTicket();
    } else {
      // Non-browser clients: the bearer token and its session, checked as every /v1 route checks them.
      req.auth = await asApiCaller(() => auth.authenticate(apiBearerToken(req)));
      holder = await bearerHolder(req, db);
    }
    await hub.open(res, { founderId: holder.founderId, sessionId: holder.sessionId, lastEventId: resumeFrom });
  });

  return router;
}

async function bearerHolder(req: Request, db: GatewayDb): Promise<TicketHolder> {
  const founder = await founderOf(req, db);
  const { claims } = req.auth as NonNullable<Request['auth']>;
  return { founderId: founder.id, userId: claims.sub, sessionId: claims.session_id };
}

/** `Last-Event-ID`, or `?last_event_id=` for a new EventSource (which cannot set the header); 400 if malformed. */
function lastEventIdOf(req: Request): string | undefined {
  const given = req.get('last-event-id') ?? (typeof req.query.last_event_id === 'string' ? req.query.last_event_id : undefined);
  if (given === undefined || given === '') return undefined;
  if (!STREAM_ENTRY_ID.test(given)) throw badRequest('validation_failed', 'The request is not valid.', [{ path: 'last_event_id', message: 'must be an event id' }]);
  return given;
}

/** Redis errors as 503: a ticket cannot be issued or spent while Redis is down, and that is worth a retry. */
async function orUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw eventsUnavailable();
  }
}

/** Of these sessions, the ones that still let their tokens in (`liveSession`'s rule): session there, user not deleted or banned. */
export async function liveSessions(db: GatewayDb, sessionIds: string[]): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await db
    .select({ id: authSessions.id })
    .from(authSessions)
    .innerJoin(authUsers, eq(authUsers.id, authSessions.userId))
    .where(and(inArray(authSessions.id, sessionIds), isNull(authUsers.deletedAt), or(isNull(authUsers.bannedUntil), lt(authUsers.bannedUntil, sql`now()`))));
  return new Set(rows.map((row) => row.id));
}
