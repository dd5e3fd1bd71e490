import express, { type Router } from 'express';
import { desc, eq } from 'drizzle-orm';
import { INTERNAL_PATHS, OPERATOR_READ_LIMIT, type OperatorCallsView } from '@dreamseed/contracts';
import { AppError, createOperatorReadCheck, withOwnerRole } from '@dreamseed/platform';
import type { VoiceConfig } from '../config';
import type { VoiceDb } from '../db/client';
import { callSessions, voiceCalls } from '../db/schema';
import { callView, plannedView, readTranscript, UUID } from './views';

/** A path of `INTERNAL_PATHS` as a router mounted at `/internal` sees it (its literal type kept, for Express's params). */
const mounted = <P extends string>(path: `/internal${P}`) => path.slice('/internal'.length) as P;

/**
 * One founder's calls and transcripts, read for an operator (`OPERATOR_READ_LIMIT` in the contracts says how): the
 * internal token is checked where the router is mounted, the operator's token here. The operator is not the
 * founder, so the rows are read as the voice service's own role and filtered by the founder's id.
 */
export function operatorRouter(config: VoiceConfig, db: VoiceDb): Router {
  const router = express.Router();
  const checked = createOperatorReadCheck({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER });

  router.get(mounted(INTERNAL_PATHS.voice.operatorCalls), async (req, res) => {
    const { userId } = await checked(req.get('authorization'), req.params.userId);
    const view = await withOwnerRole(db, 'voice', async (tx): Promise<OperatorCallsView> => {
      const calls = await tx
        .select()
        .from(callSessions)
        .where(eq(callSessions.userId, userId))
        .orderBy(desc(callSessions.createdAt), desc(callSessions.id))
        .limit(OPERATOR_READ_LIMIT);
      const planned = await tx
        .select()
        .from(voiceCalls)
        .where(eq(voiceCalls.userId, userId))
        .orderBy(desc(voiceCalls.scheduledFor), desc(voiceCalls.id))
        .limit(OPERATOR_READ_LIMIT);
      return { userId, calls: calls.map(callView), planned: planned.map(plannedView) };
    });
    res.json(view);
  });

  router.get(mounted(INTERNAL_PATHS.voice.operatorTranscript), async (req, res) => {
    const { userId } = await checked(req.get('authorization'), req.params.userId);
    const callId = req.params.id;
    const view = UUID.test(callId) ? await withOwnerRole(db, 'voice', (tx) => readTranscript(tx, callId, userId)) : undefined;
    if (!view) throw new AppError(404, 'transcript_not_found', 'This founder has no transcript for this call.');
    res.json(view);
  });

  return router;
}
