import express, { type Router } from 'express';
import { asc, desc, eq } from 'drizzle-orm';
import type { CallView, PlannedCallView, TranscriptView } from '@dreamseed/contracts';
import { afterRow, createFounderTokenVerifier, notFound, pageOf, pageRequest, withFounder } from '@dreamseed/platform';
import type { VoiceConfig } from '../config';
import type { VoiceDb } from '../db/client';
import { callSessions, conversationTurns, conversations, transcripts, voiceCalls } from '../db/schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The founder's calls, read for the gateway with the founder's own token: checked here, and the rows read as
 * the founder under row-level security, so another founder's call is simply not found.
 */
export function callsRouter(config: VoiceConfig, db: VoiceDb): Router {
  const router = express.Router();
  const founderOf = createFounderTokenVerifier({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER });

  router.get('/calls', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const page = pageRequest(req.query);
    const [found, plans] = await withFounder(db, founder, async (tx) => [
      await tx
        .select()
        .from(callSessions)
        .where(afterRow(callSessions, callSessions.createdAt, callSessions.id, page))
        .orderBy(desc(callSessions.createdAt), desc(callSessions.id))
        .limit(page.limit + 1),
      // The plans are few (one open per stage); the newest 20 with every page, so a client never pages for them.
      await tx.select().from(voiceCalls).orderBy(desc(voiceCalls.scheduledFor), desc(voiceCalls.id)).limit(20),
    ]);
    const { items: rows, next_cursor } = pageOf(found, page, (row) => row.id);
    const calls: CallView[] = rows.map((row) => ({
      id: row.id,
      vapiCallId: row.vapiCallId,
      callStage: row.callStage ?? 0,
      direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
      status: row.status,
      startedAt: row.startedAt?.toISOString() ?? null,
      endedAt: row.endedAt?.toISOString() ?? null,
      durationSeconds: row.durationSeconds,
      summary: row.summary,
    }));
    res.json({ calls, planned: plans.map(plannedView), next_cursor });
  });

  // Every outbound call as planned, a page at a time, for a founder who wants more than the newest 20.
  router.get('/calls/planned', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const page = pageRequest(req.query);
    const found = await withFounder(db, founder, (tx) =>
      tx
        .select()
        .from(voiceCalls)
        .where(afterRow(voiceCalls, voiceCalls.scheduledFor, voiceCalls.id, page))
        .orderBy(desc(voiceCalls.scheduledFor), desc(voiceCalls.id))
        .limit(page.limit + 1),
    );
    const { items, next_cursor } = pageOf(found, page, (row) => row.id);
    res.json({ planned: items.map(plannedView), next_cursor });
  });

  router.get('/calls/:id/transcript', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const id = req.params.id;
    if (!UUID.test(id)) throw notFound('No such call.');
    const view = await withFounder(db, founder, async (tx): Promise<TranscriptView | undefined> => {
      const [transcript] = await tx.select().from(transcripts).where(eq(transcripts.callSessionId, id));
      if (!transcript) return undefined;
      const turns = await tx
        .select({ role: conversationTurns.role, content: conversationTurns.content, secondsFromStart: conversationTurns.secondsFromStart })
        .from(conversationTurns)
        .innerJoin(conversations, eq(conversations.id, conversationTurns.conversationId))
        .where(eq(conversations.callSessionId, id))
        .orderBy(asc(conversationTurns.seq));
      return {
        callId: id,
        callStage: transcript.callStage,
        text: transcript.text,
        turns: turns.map((t) => ({ ...t, secondsFromStart: t.secondsFromStart === null ? null : Number(t.secondsFromStart) })),
        createdAt: transcript.createdAt.toISOString(),
      };
    });
    if (!view) throw notFound('No transcript for this call.');
    res.json(view);
  });

  return router;
}

/** An outbound call as planned: a failure to place one is the founder's to see. */
function plannedView(plan: typeof voiceCalls.$inferSelect): PlannedCallView {
  return {
    id: plan.id,
    callStage: plan.callStage,
    status: plan.status,
    scheduledFor: plan.scheduledFor.toISOString(),
    placedAt: plan.placedAt?.toISOString() ?? null,
    vapiCallId: plan.vapiCallId,
    lastError: plan.lastError,
  };
}
