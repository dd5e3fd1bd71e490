import express, { type Router } from 'express';
import { z } from 'zod';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { E164, INTERNAL_PATHS, parseDomainName, type FounderCallContext } from '@dreamseed/contracts';
import { AppError, badRequest, internalJsonRoute, notFound, readAsOwner, summarizeIssues, type RawRoute } from '@dreamseed/platform';
import type { AuthService } from '../auth/service';
import type { GatewayDb } from '../db/client';
import { authUsers, users } from '../db/schema';
import { registrationConsentOf } from '../formation/consent';
import { registrantOf } from './registrant';

/** The founders' table, named from its drizzle definition. */
const FOUNDERS = `${getTableConfig(users).schema}.${getTableConfig(users).name}`;
const ACCOUNTS = `${getTableConfig(authUsers).schema}.${getTableConfig(authUsers).name}`;
const CONFIRMED = 'a.phone = f.customer_phone and a.phone_confirmed_at is not null and a.deleted_at is null';
type FounderRow = Omit<FounderCallContext, 'assistantType'> & { assistantType: string } & Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The gateway's internal read API, for the other services only (the compose network; loopback under npm
 * start): never published through the public routes' CORS or docs.
 */
const callerRegistration = z
  .object({
    phone: z.string().regex(E164, 'must be an E.164 number'),
    email: z.email().max(254),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** The founder with this phone number or profile id; 404 when there is none. */
async function founderWhere(db: GatewayDb, column: 'customer_phone' | 'id', value: string): Promise<FounderRow> {
  const founder = await findFounder(db, column, value);
  if (!founder) throw notFound('No such founder.');
  return founder;
}

/**
 * The founder with this phone number or profile id, or null. VAPI's assistant-request waits on this read, so it
 * is one round trip to Postgres (readAsOwner), not three.
 *
 * A number counts only once its owner confirmed it with a texted code (auth.users.phone_confirmed_at): a caller
 * on any other number is a stranger, and outbound calls (which dial `customerPhone`) never ring an unproven one,
 * whose owner would hear the founder's context.
 */
export async function findFounder(db: GatewayDb, column: 'customer_phone' | 'id', value: string): Promise<FounderRow | null> {
  const [founder] = await readAsOwner<FounderRow>(
    db,
    'gateway',
    `select f.id, case when ${CONFIRMED} then f.customer_phone end as "customerPhone", f.customer_name as "customerName",
            f.business_name as "businessName", f.business_type as "businessType", f.current_call_stage as "currentCallStage",
            f.assistant_type as "assistantType", f.individual_assistant_id as "individualAssistantId", f.status
       from ${FOUNDERS} f left join ${ACCOUNTS} a on a.id = f.auth_user_id
      where f.${column} = $1 and f.deleted_at is null${column === 'customer_phone' ? ` and ${CONFIRMED}` : ''}`,
    [value],
  );
  return founder ?? null;
}

/**
 * The founder calling from a number, for the voice worker's end-of-call reports that name no founder: a raw route
 * (served before Express). The number goes in the body, so that it stays out of access logs (which record the
 * path).
 */
export function founderLookupRoute(db: GatewayDb, internalSecret: string | undefined): RawRoute {
  return internalJsonRoute({
    path: INTERNAL_PATHS.gateway.founderByPhone,
    secret: internalSecret,
    bodyLimitBytes: 1024,
    handle: async (body) => {
      const phone: unknown = (body as { phone?: unknown } | null)?.phone;
      if (typeof phone !== 'string' || !E164.test(phone)) throw badRequest('invalid_phone', 'The phone number must be in E.164 format.');
      return { status: 200, body: await founderWhere(db, 'customer_phone', phone) };
    },
  });
}

export function internalRouter(db: GatewayDb, auth: AuthService): Router {
  const router = express.Router();

  // A caller the intake assistant registered (the voice service's `register_caller` tool).
  router.post('/founders', express.json({ limit: '8kb' }), async (req, res) => {
    const parsed = callerRegistration.safeParse(req.body ?? {});
    if (!parsed.success) throw badRequest('validation_failed', 'The registration is not valid.', summarizeIssues(parsed.error.issues));
    const outcome = await auth.registerCaller(parsed.data, req.correlationId);
    if (outcome.kind === 'email_taken') throw new AppError(409, 'email_exists', 'This email address already has an account.');
    res.status(outcome.kind === 'created' ? 201 : 200).json({ id: outcome.profileId, created: outcome.kind === 'created' });
  });

  router.get('/founders/:id', async (req, res) => {
    if (!UUID.test(req.params.id)) throw notFound('No such founder.');
    res.json(await founderWhere(db, 'id', req.params.id));
  });

  // The founder as their domain's registrant, for the domain service (INTERNAL_PATHS.gateway.registrantContact).
  router.get('/founders/:id/registrant', async (req, res) => {
    if (!UUID.test(req.params.id)) throw notFound('No such founder.');
    res.json(await registrantOf(db, req.params.id));
  });

  // The founder's agreement to a domain's registration agreements, for its purchase (INTERNAL_PATHS.gateway.registrationConsent).
  router.get('/founders/:id/registration-consent', async (req, res) => {
    if (!UUID.test(req.params.id)) throw notFound('No such founder.');
    // The name as the domain service holds it (lower case, punycode), which is how the consent was recorded.
    const parsed = parseDomainName(typeof req.query.domain === 'string' ? req.query.domain : '');
    if (!parsed.ok) throw new AppError(400, 'invalid_domain', `Name the domain as ?domain=example.com: ${parsed.message}`);
    res.json(await registrationConsentOf(db, req.params.id, parsed.domain));
  });

  return router;
}
