import express, { type Router } from 'express';
import { desc } from 'drizzle-orm';
import type { WebCallView } from '@dreamseed/contracts';
import { AppError, createFounderTokenVerifier, newestFirstPage, notFound, pageRequest, withFounder } from '@dreamseed/platform';
import { founderAssistant, variableValuesOf, type Stage } from '../assistants/stages';
import { fetchFounder } from '../gateway-client';
import { vapiServer } from '../vapi/server';
import { WebCallTickets } from '../vapi/web-call-ticket';
import type { VoiceConfig } from '../config';
import type { VoiceDb } from '../db/client';
import { callSessions, voiceCalls } from '../db/schema';
import { callView, plannedView, readTranscript, UUID } from './views';

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
    const [{ items: rows, next_cursor }, plans] = await withFounder(db, founder, async (tx) => [
      await newestFirstPage(tx.select().from(callSessions).$dynamic(), callSessions, callSessions.createdAt, callSessions.id, page),
      // The plans are few (one open per stage); the newest 20 with every page, so a client never pages for them.
      await tx.select().from(voiceCalls).orderBy(desc(voiceCalls.scheduledFor), desc(voiceCalls.id)).limit(20),
    ] as const);
    res.json({ calls: rows.map(callView), planned: plans.map(plannedView), next_cursor });
  });

  // Every outbound call as planned, a page at a time, for a founder who wants more than the newest 20.
  router.get('/calls/planned', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const page = pageRequest(req.query);
    const { items, next_cursor } = await withFounder(db, founder, (tx) =>
      newestFirstPage(tx.select().from(voiceCalls).$dynamic(), voiceCalls, voiceCalls.scheduledFor, voiceCalls.id, page),
    );
    res.json({ planned: items.map(plannedView), next_cursor });
  });

  const webTickets = new WebCallTickets(config.JWT_SECRET);

  // A call from the founder's browser: the stage's assistant and a ticket that names the founder, since VAPI
  // echoes whatever metadata the browser sends (see web-call-ticket.ts). The server object names a VAPI
  // credential, never the secret (the config refuses web calls otherwise).
  router.post('/calls/web', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    if (!config.VAPI_PUBLIC_KEY) throw new AppError(404, 'web_calls_off', 'Calls from the browser are off here (no VAPI public key).');
    const context = await fetchFounder(config, { id: founder.id }, config.FOUNDER_LOOKUP_TIMEOUT_MS, req.get('x-correlation-id'));
    if (!context) throw notFound('This account has no founder profile.');
    if (context.currentCallStage > 4) throw new AppError(409, 'consultation_complete', 'All four consultation calls are done.');
    const stage = Math.max(context.currentCallStage, 1) as Stage;
    const { ticket, expiresAt } = webTickets.issue(founder.id, stage);
    const metadata = { ticket, callStage: stage };
    const chosen = founderAssistant(context, stage, config, vapiServer(config), metadata);
    const view: WebCallView = {
      publicKey: config.VAPI_PUBLIC_KEY,
      callStage: stage,
      assistantId: 'assistantId' in chosen ? (chosen.assistantId ?? null) : null,
      assistant: 'assistant' in chosen ? (chosen.assistant as Record<string, unknown>) : null,
      assistantOverrides: { variableValues: variableValuesOf(context), metadata },
      expiresAt: expiresAt.toISOString(),
    };
    res.status(201).json(view);
  });

  router.get('/calls/:id/transcript', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const id = req.params.id;
    if (!UUID.test(id)) throw notFound('No such call.');
    const view = await withFounder(db, founder, (tx) => readTranscript(tx, id));
    if (!view) throw notFound('No transcript for this call.');
    res.json(view);
  });

  return router;
}
