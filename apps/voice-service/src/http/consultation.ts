import express, { type Router } from 'express';
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { ConsultationCallView, ConsultationView } from '@dreamseed/contracts';
import { notFound, withOwnerRole } from '@dreamseed/platform';
import type { VoiceDb } from '../db/client';
import { callSessions, conversationTurns, conversations, transcripts } from '../db/schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every ended call of a founder in their ended calls, for the analysis service (service to service: the internal
 * token is checked where the router is mounted). Calls come oldest first, so later calls refine earlier ones.
 */
export function consultationRouter(db: VoiceDb): Router {
  const router = express.Router();

  router.get('/founders/:userId/consultation', async (req, res) => {
    const userId = req.params.userId;
    if (!UUID.test(userId)) throw notFound('No such founder.');
    const view = await withOwnerRole(db, 'voice', async (tx): Promise<ConsultationView> => {
      const rows = await tx
        .select({
          callSessionId: callSessions.id,
          vapiCallId: callSessions.vapiCallId,
          transcriptId: transcripts.id,
          callStage: callSessions.callStage,
          endedAt: callSessions.endedAt,
          text: transcripts.text,
          summary: callSessions.summary,
          structuredData: callSessions.structuredData,
        })
        .from(transcripts)
        .innerJoin(callSessions, eq(callSessions.id, transcripts.callSessionId))
        .where(and(eq(transcripts.userId, userId), isNotNull(transcripts.text)))
        .orderBy(asc(callSessions.endedAt), asc(transcripts.createdAt));
      const turns = rows.length
        ? await tx
            .select({ callSessionId: conversations.callSessionId, role: conversationTurns.role, content: conversationTurns.content })
            .from(conversationTurns)
            .innerJoin(conversations, eq(conversations.id, conversationTurns.conversationId))
            .where(inArray(conversations.callSessionId, rows.map((row) => row.callSessionId)))
            .orderBy(asc(conversations.callSessionId), asc(conversationTurns.seq))
        : [];
      const calls: ConsultationCallView[] = rows.map((row) => ({
        ...row,
        endedAt: row.endedAt?.toISOString() ?? null,
        turns: turns.filter((turn) => turn.callSessionId === row.callSessionId).map(({ role, content }) => ({ role, content })),
        structuredData: (row.structuredData as Record<string, unknown> | null) ?? null,
      }));
      return { userId, calls };
    });
    res.json(view);
  });

  return router;
}
