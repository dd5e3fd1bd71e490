import express, { type Request, type Router } from 'express';
import { and, desc, ilike, or } from 'drizzle-orm';
import { z } from 'zod';
import { INTERNAL_PATHS, type TranscriptView } from '@dreamseed/contracts';
import { afterRow, badRequest, notFound, pageOf, pageRequest, summarizeIssues } from '@dreamseed/platform';
import { users } from '../db/schema';
import { OPERATOR_ACTION_NAMES, performAction } from '../operator/actions';
import { auditPage, auditView, outcomeOf, recordAudit, recordFileRead, settleAudit } from '../operator/audit';
import { founderFile, founderProfile } from '../operator/founder-file';
import { publicView } from './dialect';
import { describeRoutes, PAGED } from './openapi';
import type { OperatorDeps } from './operator';
import { operatorOf } from './operator-guard';
import { actionAccepted, actionRequest, auditAnswer, FounderFile, foundersAnswer, transcriptRequest } from './operator-views';
import { ownerPath, pathId, readFromOwner } from './owners';
import { Transcript } from './responses';

const MAX_QUERY_LENGTH = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const idempotencyKey = z.object({
  'idempotency-key': z.string().max(200).optional().openapi({ description: 'The same key from the same operator for the same action is the same request: it is done once, and answered as the first time' }),
});

describeRoutes(
  'operators',
  [
    [
      'get',
      '/admin/api/founders',
      'Find founders by email, name, business name or phone (?q=, case-insensitive, anywhere in the field), newest first, a page at a time; every founder without q',
      undefined,
      { query: PAGED.query?.extend({ q: z.string().max(MAX_QUERY_LENGTH).optional() }), responses: { 200: foundersAnswer } },
    ],
    [
      'get',
      '/admin/api/founders/{id}',
      "One founder's file: profile, formation, account, attention flags, failed jobs, calls, Dream DNA history, domains, payments and the newest audit entries. A part whose service cannot answer is `unavailable`; the read is audited (read_file)",
      undefined,
      { responses: { 200: FounderFile } },
    ],
    [
      'post',
      '/admin/api/founders/{id}/calls/{callId}/transcript',
      "A call's transcript, for a stated reason: the read is in the audit log (read_transcript) before the voice service is asked, with what came of it; without a reason, 400 and a refused entry",
      transcriptRequest,
      { responses: { 200: Transcript } },
    ],
    ['get', '/admin/api/audit', 'The audit log, newest first, a page at a time; one founder\'s with ?user_id=', undefined, { query: PAGED.query?.extend({ user_id: z.uuid().optional() }), responses: { 200: auditAnswer } }],
  ],
  { bearer: true },
);

const ACTION_SUMMARIES: Record<(typeof OPERATOR_ACTION_NAMES)[number], string> = {
  'rerun-analysis': 'Run the analysis again (409 nothing_to_analyse without a completed call or an assessment)',
  'reschedule-call': 'Plan the next call at a time (400 invalid_time in the past; 409 consultation_complete, founder_deleted)',
  'cancel-call': 'Cancel the planned call (409 no_call_planned, consultation_complete)',
  'resend-mail': 'Mail a fresh confirmation (unconfirmed accounts) or a recovery link, through the auth mail flow and its limits (409 already_confirmed, no_email; 429)',
  refund: "Refund a paid payment of the founder's, whole or `amount` (minor units) of it (409 payment_not_found, payment_not_refundable, payment_refunded, refund_too_large)",
};

describeRoutes(
  'operators',
  OPERATOR_ACTION_NAMES.map(
    (name) =>
      [
        'post',
        `/admin/api/founders/{id}/actions/${name}`,
        `${ACTION_SUMMARIES[name]}. A command to the owning service's queue, answered 202 once queued; every outcome is in the audit log`,
        actionRequest(name),
        { headers: idempotencyKey, responses: { 202: actionAccepted(name) } },
      ] as const,
  ),
  { bearer: true, responses: { 422: 'The Idempotency-Key was used for this action with other params (idempotency_key_reused)' } },
);

/**
 * One founder as operators see them (`/admin/api`, behind `requireOperator`): the search, the file, the transcript
 * read for a reason, the actions (operator/actions.ts) and the audit log (operator/audit.ts), in the public dialect.
 */
export function operatorFoundersRouter(deps: OperatorDeps): Router {
  const { db, config } = deps;
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  const owner = { internalSecret: config.INTERNAL_API_SECRET };

  /** The founder a path names, deleted or not: 404 when none does. */
  const profileOf = async (req: Request) => {
    const profile = await founderProfile(db, pathId(req, 'founder'));
    if (!profile) throw notFound('No founder has this id.');
    return profile;
  };

  router.get('/founders', async (req, res) => {
    const { q } = req.query;
    if (q !== undefined && (typeof q !== 'string' || q.length > MAX_QUERY_LENGTH)) {
      throw badRequest('invalid_query', `q must be one text of at most ${MAX_QUERY_LENGTH} characters.`);
    }
    const page = pageRequest(req.query);
    const term = q?.trim();
    const pattern = term ? `%${term.replace(/[\\%_]/g, (character) => `\\${character}`)}%` : undefined;
    const matches = pattern
      ? or(ilike(users.customerEmail, pattern), ilike(users.customerName, pattern), ilike(users.businessName, pattern), ilike(users.customerPhone, pattern))
      : undefined;
    const rows = await db
      .select({
        id: users.id,
        customerName: users.customerName,
        customerEmail: users.customerEmail,
        customerPhone: users.customerPhone,
        businessName: users.businessName,
        status: users.status,
        currentCallStage: users.currentCallStage,
        paymentStatus: users.paymentStatus,
        createdAt: users.createdAt,
        deletedAt: users.deletedAt,
      })
      .from(users)
      .where(and(matches, afterRow(users, users.createdAt, users.id, page)))
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(page.limit + 1);
    const { items, next_cursor } = pageOf(rows, page, (row) => row.id);
    res.json({
      founders: items.map(({ id, createdAt, deletedAt, ...founder }) => ({
        user_id: id,
        ...publicView(founder),
        created_at: createdAt.toISOString(),
        deleted_at: deletedAt?.toISOString() ?? null,
      })),
      next_cursor,
    });
  });

  router.get('/founders/:id', async (req, res) => {
    const profile = await profileOf(req);
    await recordFileRead(db, operatorOf(req), profile.id);
    res.json(await founderFile(deps, req, profile));
  });

  router.post('/founders/:id/calls/:callId/transcript', async (req, res) => {
    const operator = operatorOf(req);
    const profile = await profileOf(req);
    const callId = z.uuid().safeParse(req.params.callId);
    if (!callId.success) throw notFound('No such call.');
    const entry = { actor: operator, action: 'read_transcript', userId: profile.id, target: callId.data.toLowerCase(), params: { call_id: callId.data.toLowerCase() } };
    const body = transcriptRequest.safeParse(req.body ?? {});
    if (!body.success) {
      const given = (req.body as { reason?: unknown } | undefined)?.reason;
      await recordAudit(db, { ...entry, reason: typeof given === 'string' ? given : null, outcome: 'refused', code: 'validation_failed' });
      throw badRequest('validation_failed', 'Say why you read this transcript (reason, 3 to 500 characters).', summarizeIssues(body.error.issues));
    }
    // Recorded before the voice service is asked, so that no read goes unrecorded, whatever happens next.
    const auditId = await recordAudit(db, { ...entry, reason: body.data.reason, outcome: 'accepted' });
    let transcript: TranscriptView;
    try {
      const path = ownerPath(INTERNAL_PATHS.voice.operatorTranscript, { userId: profile.id, id: entry.target });
      transcript = await readFromOwner<TranscriptView>(config.VOICE_SERVICE_URL, path, req, owner);
    } catch (error) {
      const { outcome, code } = outcomeOf(error);
      await settleAudit(db, auditId, outcome, { code });
      throw error;
    }
    await settleAudit(db, auditId, 'done');
    res.json(publicView(transcript));
  });

  for (const name of OPERATOR_ACTION_NAMES) {
    router.post(`/founders/:id/actions/${name}`, async (req, res) => {
      res.status(202).json(await performAction(deps, req, name, pathId(req, 'founder')));
    });
  }

  router.get('/audit', async (req, res) => {
    const userId = req.query.user_id;
    if (userId !== undefined && (typeof userId !== 'string' || !UUID.test(userId))) throw badRequest('invalid_user_id', 'user_id must be a founder id (a UUID).');
    const page = await auditPage(db, pageRequest(req.query), typeof userId === 'string' ? userId.toLowerCase() : undefined);
    res.json({ entries: page.items.map(auditView), next_cursor: page.next_cursor });
  });

  return router;
}
