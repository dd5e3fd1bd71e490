import { randomUUID } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ENTITY_TYPES, INTERNAL_PATHS, URGENCY_LEVELS, US_STATES, type CallView, type PlannedCallView, type WebCallView } from '@dreamseed/contracts';
import { AppError, badRequest, conflict, notFound, withFounder, type Founder, type JobProducer } from '@dreamseed/platform';
import { serializeUser } from '../auth/serialize';
import type { AuthService } from '../auth/service';
import type { GatewayConfig } from '../config';
import type { GatewayDb, GatewayTx } from '../db/client';
import { authUsers, businessFormationData, userSessions, users } from '../db/schema';
import { intakeContradictions, intakeFields } from '../formation/intake';
import { FormationCase } from '../formation/views';
import { addAnalysisRoutes } from './analysis';
import { founderOf as founderFromRequest, readOwnProfile } from './founder';
import { parseBody, requireApiUser } from './middleware';
import { Analysis, Assessment, Call, callPlanned, callsAnswer, Cancelling, PlannedCall, plannedAnswer, sampleCallState, samplePlaying, WebCall, DomainSearch, DreamDna, Payment, Subscription, Transcript } from './responses';
import { publicView } from './dialect';
import { rowSchema, rowView } from './rows';
import type { SampleCalls } from './sample-call';
import { describeRoutes, PAGED } from './openapi';
import { ownerPath, pathId, postToOwner, readAllFromOwner, readFromOwner, readPageFromOwner } from './owners';

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * What a founder may change on their profile. Call progress, status and payment fields are not here, nor the
 * phone number: it is confirmed by a texted code through PUT /auth/v1/user.
 */
export const profilePatch = z
  .object({
    customer_name: text(200).nullable(),
    business_name: text(200).nullable(),
    business_type: text(200).nullable(),
    state_of_operation: z.enum(US_STATES).nullable(),
    entity_type: z.enum(ENTITY_TYPES).nullable(),
    package_preference: text(100).nullable(),
    urgency_level: z.enum(URGENCY_LEVELS).nullable(),
    timeline: text(200).nullable(),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change')
  .openapi('ProfilePatch', { example: { customer_name: 'Ada Baker', business_name: 'Ada Bakes', entity_type: 'llc', state_of_operation: 'TX' } });

const callRequest = z
  .object({ at: z.iso.datetime({ offset: true }).optional().openapi({ description: 'When to call; now when absent' }) })
  .strict()
  .openapi('CallRequest', { example: { at: '2026-12-07T15:00:00.000Z' } });

/** The formation details a founder sets, each optional: the intake of the formation case (formation/intake.ts). */
export const formationBody = z
  .object(intakeFields)
  .partial()
  .strict()
  .superRefine(intakeContradictions)
  .openapi('Formation', {
    example: {
      legal_name: 'Ada Bakes LLC',
      entity_type: 'llc',
      state_of_formation: 'TX',
      business_address: { line1: '100 Congress Ave', city: 'Austin', state: 'TX', postal_code: '78701', country: 'US' },
      registered_agent: { name: 'Ada Baker', address: { line1: '100 Congress Ave', city: 'Austin', state: 'TX', postal_code: '78701', country: 'US' } },
      members: [{ name: 'Ada Baker', role: 'member', ownership_percent: 100 }],
      management_structure: 'member_managed',
    },
  });

/** The profile and formation details as `rowView` shows them, described from their Drizzle tables. */
const Profile = rowSchema(users).openapi('Profile');
const FormationDetails = rowSchema(businessFormationData).openapi('FormationDetails');
const Export = z
  .object({
    exported_at: z.iso.datetime({ offset: true }),
    account: z.record(z.string(), z.unknown()).openapi({ description: 'The account as GET /auth/v1/user shows it' }),
    profile: Profile.nullable(),
    formation: FormationDetails.nullable(),
    sessions: z.array(
      z.object({
        id: z.uuid(),
        started_at: z.iso.datetime({ offset: true }),
        last_seen_at: z.iso.datetime({ offset: true }),
        ended_at: z.iso.datetime({ offset: true }).nullable(),
        user_agent: z.string().nullable(),
      }),
    ),
    calls: z.array(Call),
    planned_calls: z.array(PlannedCall),
    dream_dna_versions: z.array(DreamDna),
    analyses: z.array(Analysis),
    assessments: z.array(Assessment),
    domain_searches: z.array(DomainSearch),
    subscription: Subscription.nullable(),
    payments: z.array(Payment),
    formation_case: FormationCase.nullable().openapi({ description: 'The formation case, as GET /v1/me/formation/case shows it; null before a formation package is paid' }),
  })
  .openapi('Export');

/** What the formation case adds to these routes: following the intake when it is saved, and its part of the export. */
export interface FormationHooks {
  intakeSaved(req: Request, founder: Founder): Promise<void>;
  caseFor(founder: Founder): Promise<z.output<typeof FormationCase> | null>;
}

describeRoutes(
  'founder',
  [
    ['get', '/v1/me', 'The founder profile (core.users, column names as keys)', undefined, { responses: { 200: Profile } }],
    ['patch', '/v1/me', 'Change the founder-editable profile fields', profilePatch, { responses: { 200: Profile } }],
    ['delete', '/v1/me', 'Delete the account (soft delete; every session ends)', undefined],
    ['get', '/v1/me/formation', 'Formation details (core.business_formation_data)', undefined, { responses: { 200: FormationDetails } }],
    [
      'put',
      '/v1/me/formation',
      "Set formation details (the formation case's intake): the fields given are saved; what the filing still lacks is listed in GET /v1/me/formation/case (todo.missing)",
      formationBody,
      { responses: { 200: FormationDetails } },
    ],
    ['get', '/v1/me/export', 'Everything the platform holds on the founder', undefined, { responses: { 200: Export } }],
    ['get', '/v1/me/calls', 'The founder\'s consultation calls (status, duration, summary), newest first a page at a time, with the newest 20 outbound calls as planned (time, status, why one failed)', undefined, { ...PAGED, responses: { 200: callsAnswer } }],
    ['get', '/v1/me/calls/planned', 'Every outbound call as planned, newest first, a page at a time', undefined, { ...PAGED, responses: { 200: plannedAnswer } }],
    ['get', '/v1/me/calls/sample', 'Whether sample calls can be played here (outside production, without VAPI), and whether one is playing', undefined, { responses: { 200: sampleCallState } }],
    [
      'post',
      '/v1/me/calls/sample',
      'Play a sample call of the current stage, as VAPI would report it (202; 404 sample_calls_off in production or with VAPI; 409 sample_call_playing)',
      undefined,
      { responses: { 202: samplePlaying } },
    ],
    [
      'post',
      '/v1/me/calls/web',
      "Start a call from the browser with VAPI's web SDK: its public key, the stage's assistant and a ticket naming the founder (201; 404 web_calls_off without VAPI_PUBLIC_KEY)",
      undefined,
      { responses: { 201: WebCall } },
    ],
    ['post', '/v1/me/calls', 'Plan the next call, now or at a time (planning again moves it)', callRequest, { responses: { 202: callPlanned } }],
    ['delete', '/v1/me/calls/next', 'Cancel the planned call (202; 404 no_call_planned when none is)', undefined, { responses: { 202: Cancelling } }],
    ['get', '/v1/me/calls/{id}/transcript', 'A call\'s transcript and turns', undefined, { responses: { 200: Transcript } }],
  ],
  { bearer: true },
);

/** The founder's own data, read and written as the founder under row-level security. */
export function meRouter(
  auth: AuthService,
  db: GatewayDb,
  config: Pick<
    GatewayConfig,
    'VOICE_SERVICE_URL' | 'ANALYSIS_SERVICE_URL' | 'DOMAIN_SERVICE_URL' | 'BILLING_SERVICE_URL' | 'INTERNAL_API_SECRET' | 'PAYLOAD_ENCRYPTION_KEY' | 'PAYLOAD_ENCRYPTION_KEY_PREVIOUS'
  >,
  producer: JobProducer,
  samples?: SampleCalls,
  /** The formation case's part of these routes (http/formation.ts). */
  formationCase?: FormationHooks,
): Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));
  // Before the router's session check: this read checks the session itself, in its own round trip (founder.ts).
  router.get('/', async (req, res) => {
    const profile = await readOwnProfile(req, auth, db);
    if (!profile) throw notFound('No profile.');
    res.json(profile);
  });

  router.use(requireApiUser(auth));

  const founderOf = (req: Request) => founderFromRequest(req, db);

  const owner = { internalSecret: config.INTERNAL_API_SECRET };

  /** The stage the founder's next call is for: 404 without a profile, 409 once all four calls are done. */
  const stageToCall = async (founder: Founder): Promise<number> => {
    const [profile] = await withFounder(db, founder, (tx) =>
      tx.select({ stage: users.currentCallStage }).from(users).where(and(eq(users.id, founder.id), isNull(users.deletedAt))),
    );
    if (!profile) throw notFound('No profile.');
    if (profile.stage > 4) throw new AppError(409, 'consultation_complete', 'All four consultation calls are done.');
    return profile.stage;
  };

  /** The formation details as `/v1` shows them, read in the founder's transaction. */
  const formationIn = async (tx: GatewayTx, founder: Founder) => {
    const [row] = await tx.select().from(businessFormationData).where(eq(businessFormationData.userId, founder.id));
    return row && rowView(businessFormationData, row);
  };

  router.patch('/', async (req, res) => {
    // Refused rather than started here: the flow and its answers (pending number, code, phone_exists) are GoTrue's,
    // which clients already speak through auth-js updateUser; a second way in would be a second flow to keep safe.
    if (req.body && typeof req.body === 'object' && 'customer_phone' in req.body) throw phoneNeedsCode();
    const patch = parseBody(profilePatch, req.body);
    const founder = await founderOf(req);
    const profile = await withFounder(db, founder, async (tx) => {
      const assignments = Object.entries(patch).map(([column, value]) => sql`${sql.identifier(column)} = ${value}`);
      const result = await tx.execute(sql`update core.users set ${sql.join([...assignments, sql`updated_at = now()`], sql`, `)}
                      where id = ${founder.id} and deleted_at is null returning id`);
      if (!result.rows[0]) return undefined;
      const [row] = await tx.select().from(users).where(eq(users.id, founder.id));
      return row && rowView(users, row);
    });
    if (!profile) throw notFound('No profile.');
    // The account's metadata carries the name too (auth-js reads `full_name`): it follows, written as the gateway,
    // since founders never write the auth tables. A failure here answers 5xx, and the same PATCH again repairs it.
    if (patch.customer_name !== undefined) {
      const name = patch.customer_name;
      await db
        .update(authUsers)
        .set({
          rawUserMetaData: name === null ? sql`${authUsers.rawUserMetaData} - 'full_name'` : sql`${authUsers.rawUserMetaData} || jsonb_build_object('full_name', ${name}::text)`,
          updatedAt: new Date(),
        })
        .where(eq(authUsers.id, founder.claims.sub));
    }
    res.json(profile);
  });

  router.get('/formation', async (req, res) => {
    const founder = await founderOf(req);
    const formation = await withFounder(db, founder, (tx) => formationIn(tx, founder));
    if (!formation) throw notFound('No formation details yet.');
    res.json(formation);
  });

  router.put('/formation', async (req, res) => {
    const body = parseBody(formationBody, req.body);
    const founder = await founderOf(req);
    // Only the columns given are named: the founder role holds INSERT and UPDATE on these columns alone (status and
    // filing dates are the platform's), and naming any other column, even as DEFAULT, is refused.
    const given = Object.entries(body).filter(([, value]) => value !== undefined);
    const columns = [sql.identifier('user_id'), ...given.map(([column]) => sql.identifier(column))];
    const values = [sql`${founder.id}`, ...given.map(([column, value]) => formationValue(column, value))];
    const updates = given.map(([column]) => sql`${sql.identifier(column)} = excluded.${sql.identifier(column)}`);
    const formation = await withFounder(db, founder, async (tx) => {
      await tx.execute(sql`insert into core.business_formation_data (${sql.join(columns, sql`, `)}) values (${sql.join(values, sql`, `)})
                           on conflict (user_id) do update set ${sql.join([...updates, sql`updated_at = now()`], sql`, `)}`);
      return formationIn(tx, founder);
    });
    await formationCase?.intakeSaved(req, founder);
    res.json(formation);
  });

  // Soft delete: the profile and account are marked deleted and every session ends. Runs as the gateway, the
  // owner, because it reaches the auth tables that founders never write; the admin API deletes the same way.
  router.delete('/', async (req, res) => {
    const founder = await founderOf(req);
    await auth.deleteAccount(founder.claims.sub);
    res.status(204).end();
  });

  const fromVoice = <T>(path: string, req: Request) => readFromOwner<T>(config.VOICE_SERVICE_URL, path, req, owner);
  const pageFromVoice = (path: string, req: Request) => readPageFromOwner(config.VOICE_SERVICE_URL, path, req, owner);

  router.get('/calls', async (req, res) => {
    res.json(publicView(await pageFromVoice(INTERNAL_PATHS.voice.calls, req)));
  });

  router.get('/calls/planned', async (req, res) => {
    res.json(publicView(await pageFromVoice(INTERNAL_PATHS.voice.plannedCalls, req)));
  });

  // Plan the next consultation call (now, or at a time the founder names); planning again moves it.
  router.post('/calls', async (req, res) => {
    const { at } = parseBody(callRequest, req.body);
    if (at && Date.parse(at) < Date.now() - 60_000) throw badRequest('invalid_time', 'The time is in the past.');
    const founder = await founderOf(req);
    const stage = await stageToCall(founder);
    const notBefore = at ? new Date(at).toISOString() : new Date().toISOString();
    await producer.enqueue('voice', 'schedule-next-call', { v: 1, userId: founder.id, callStage: stage, notBefore }, { correlationId: req.correlationId });
    res.status(202).json({ call_stage: stage, at: notBefore });
  });

  router.get('/calls/sample', async (req, res) => {
    const founder = await founderOf(req);
    res.json({ available: Boolean(samples?.enabled), playing: samples?.enabled ? await samples.isPlaying(founder.id) : false });
  });

  // Outside production only (SAMPLE_CALLS): the founder's current stage, played as VAPI would report the call.
  router.post('/calls/sample', async (req, res) => {
    if (!samples?.enabled) throw new AppError(404, 'sample_calls_off', 'Sample calls are off here: they play only on a platform without a VAPI account, outside production.');
    const founder = await founderOf(req);
    const stage = await stageToCall(founder);
    const started = await samples.start(founder.id, stage, req.correlationId ?? randomUUID());
    if (!started) throw conflict('sample_call_playing', 'A sample call is playing; wait for it to end.');
    res.status(202).json({ call_stage: stage, vapi_call_id: started.vapiCallId });
  });

  // VAPI's objects pass as VAPI names them (the web SDK reads them); only the envelope is in the API's dialect.
  router.post('/calls/web', async (req, res) => {
    const { body: call } = await postToOwner<WebCallView>(config.VOICE_SERVICE_URL, INTERNAL_PATHS.voice.webCall, req, {}, owner);
    res.status(201).json({
      public_key: call.publicKey,
      call_stage: call.callStage,
      assistant_id: call.assistantId,
      assistant: call.assistant,
      assistant_overrides: call.assistantOverrides,
      expires_at: call.expiresAt,
    });
  });

  router.delete('/calls/next', async (req, res) => {
    const founder = await founderOf(req);
    // The voice service's own list decides whether anything would change, so that a 202 always means a cancellation.
    const { planned } = await fromVoice<{ planned: PlannedCallView[] }>(INTERNAL_PATHS.voice.calls, req);
    if (!planned.some((call) => call.status === 'scheduled')) throw new AppError(404, 'no_call_planned', 'No call is planned, so there is none to cancel.');
    await producer.enqueue('voice', 'cancel-next-call', { v: 1, userId: founder.id, requestId: randomUUID() }, { correlationId: req.correlationId });
    res.status(202).json({ cancelling: true });
  });

  router.get('/calls/:id/transcript', async (req, res) => {
    res.json(publicView(await fromVoice(ownerPath(INTERNAL_PATHS.voice.callTranscript, { id: pathId(req, 'call') }), req)));
  });

  addAnalysisRoutes(router, { config, producer, founderOf });

  router.get('/export', async (req, res) => {
    const founder = await founderOf(req);
    const gathered = await withFounder(db, founder, async (tx) => {
      const [profile] = await tx.select().from(users).where(eq(users.id, founder.id));
      const [formation] = await tx.select().from(businessFormationData).where(eq(businessFormationData.userId, founder.id));
      const sessions = await tx
        .select({ id: userSessions.id, startedAt: userSessions.startedAt, lastSeenAt: userSessions.lastSeenAt, endedAt: userSessions.endedAt, userAgent: userSessions.userAgent })
        .from(userSessions)
        .where(eq(userSessions.userId, founder.id))
        .orderBy(asc(userSessions.startedAt));
      return {
        profile: profile ? rowView(users, profile) : null,
        formation: formation ? rowView(businessFormationData, formation) : null,
        sessions: sessions.map((session) => ({
          id: session.id,
          started_at: session.startedAt.toISOString(),
          last_seen_at: session.lastSeenAt.toISOString(),
          ended_at: session.endedAt?.toISOString() ?? null,
          user_agent: session.userAgent,
        })),
      };
    });
    // Every owner's part, read with the founder's token: an owner that cannot answer fails the export (503)
    // rather than leaving a silent gap.
    const all = <T>(base: string, path: string, key: string) => readAllFromOwner<T>(base, path, key, req, owner);
    const [calls, plannedCalls, dreamDnaVersions, analyses, assessments, searches, subscription, payments] = await Promise.all([
      all<CallView>(config.VOICE_SERVICE_URL, INTERNAL_PATHS.voice.calls, 'calls'),
      all(config.VOICE_SERVICE_URL, INTERNAL_PATHS.voice.plannedCalls, 'planned'),
      all(config.ANALYSIS_SERVICE_URL, INTERNAL_PATHS.analysis.dreamDnaVersions, 'versions'),
      all(config.ANALYSIS_SERVICE_URL, INTERNAL_PATHS.analysis.analyses, 'analyses'),
      all(config.ANALYSIS_SERVICE_URL, INTERNAL_PATHS.analysis.assessments, 'assessments'),
      all(config.DOMAIN_SERVICE_URL, INTERNAL_PATHS.domain.searches, 'searches'),
      readFromOwner<{ subscription: unknown }>(config.BILLING_SERVICE_URL, INTERNAL_PATHS.billing.subscription, req, owner),
      all(config.BILLING_SERVICE_URL, INTERNAL_PATHS.billing.payments, 'payments'),
    ]);
    res.json({
      exported_at: new Date().toISOString(),
      account: serializeUser(req.auth?.user as NonNullable<Request['auth']>['user']),
      ...gathered,
      formation_case: (await formationCase?.caseFor(founder)) ?? null,
      ...publicView({ calls, plannedCalls, dreamDnaVersions, analyses, assessments, domainSearches: searches, subscription: subscription.subscription, payments }),
    });
  });

  return router;
}

const FORMATION_JSON_COLUMNS = new Set(['business_address', 'mailing_address', 'registered_agent', 'members', 'authorized_shares']);

/** node-postgres would send an array as a Postgres array: JSON columns get their JSON text. */
function formationValue(column: string, value: unknown) {
  return FORMATION_JSON_COLUMNS.has(column) ? sql`${value === null ? null : JSON.stringify(value)}::jsonb` : sql`${value}`;
}

const phoneNeedsCode = () =>
  new AppError(
    422,
    'phone_verification_required',
    'The phone number cannot be set here: send it to PUT /auth/v1/user as {"phone"}, then confirm the texted code with POST /auth/v1/verify.',
  );
