import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { desc } from 'drizzle-orm';
import { BUSINESS_FACT_ALIASES, assessmentAnswerIssues, assessmentCatalog } from '@dreamseed/contracts';
import { jobIdFrom, type JobHandlers, type JobProducer, type PayloadSealer } from '@dreamseed/platform';
import { UnrecoverableError } from 'bullmq';
import { normalizeField, type Field } from '../analysis/merge';
import type { AnalysisDb } from '../db/client';
import { assessmentResponses, businessAssessment, businessFacts, dreamDna } from '../db/schema';
import type { Analyser } from './analyse';
import { assessmentAnswersOf } from './assessment-answers';
import { eraseFounder } from './erase';
import { ERASED, erasedOutcome, unlessErased } from './unless-erased';

/** One handler per job of the `analysis` queue (the catalog is in libs/contracts). */
export function analysisJobHandlers(deps: { db: AnalysisDb; producer: JobProducer; analyser: Analyser; sealer: PayloadSealer }): JobHandlers<'analysis'> {
  const { db, producer, analyser, sealer } = deps;
  return {
    'analyse-founder': (payload, context) => analyser.run(payload, context),

    'erase-founder': (payload) => eraseFounder(db, payload.userId),

    'rerun-analysis': (payload, context) => analyser.run({ userId: payload.userId, trigger: 'manual', sourceId: payload.requestId, runId: payload.requestId }, context),

    'submit-assessment': async (payload, { correlationId }) => {
      const answers = await assessmentAnswersOf(payload, sealer);
      const catalog = assessmentCatalog(payload.catalogVersion);
      const issues = catalog ? assessmentAnswerIssues(catalog, answers) : [{ questionId: '', message: 'unknown catalog version' }];
      // The gateway checked the answers; a job that still fails the check cannot be fixed by retrying.
      if (issues.length) throw new UnrecoverableError(`assessment answers invalid: ${issues.map((i) => `${i.questionId} ${i.message}`).join('; ')}`);
      const written = await unlessErased(db, payload.userId, async (tx) => {
        const [stored] = await tx
          .insert(businessAssessment)
          .values({ id: payload.assessmentId, businessId: payload.userId, catalogVersion: payload.catalogVersion })
          .onConflictDoNothing()
          .returning({ id: businessAssessment.id });
        if (stored) {
          await tx.insert(assessmentResponses).values(answers.map((answer) => ({ assessmentId: payload.assessmentId, questionId: answer.questionId, answer: answer.value })));
        }
      });
      if (written === ERASED) return erasedOutcome;
      await producer.enqueue('analysis', 'analyse-founder', { v: 1, userId: payload.userId, trigger: 'assessment', sourceId: payload.assessmentId }, { jobId: `analyse-assessment-${payload.assessmentId}`, correlationId });
      return { assessmentId: payload.assessmentId };
    },

    'record-business-fact': async (payload, { correlationId }) => {
      const written = await unlessErased(db, payload.userId, (tx) =>
        tx
          .insert(businessFacts)
          .values({ businessId: payload.userId, field: payload.field, value: payload.value, vapiCallId: payload.vapiCallId, toolCallId: payload.toolCallId })
          .onConflictDoNothing(),
      );
      if (written === ERASED) return erasedOutcome;
      // A fact the profile holds goes there now, mapped to a valid value; the next analysis reads it too.
      // `save_business_fact` field names as the assistant sends them, to the profile's fields.
      const field = Object.hasOwn(BUSINESS_FACT_ALIASES, payload.field) ? BUSINESS_FACT_ALIASES[payload.field] : undefined;
      const value = field ? normalizeField(field as Field, payload.value) : null;
      if (field && value) {
        const key = jobIdFrom('fact', payload.toolCallId);
        await producer.enqueue('gateway', 'profile-business-facts', { v: 1, userId: payload.userId, eventId: key, occurredAt: new Date().toISOString(), facts: { [field]: value } }, { jobId: key, correlationId });
      }
      return { field: field ?? null };
    },

    'record-selected-domain': async (payload) => {
      // The selection shows on the current version (it is not a new analysis), and later versions carry it on.
      const updated = await unlessErased(db, payload.userId, async (tx) => {
        const [current] = await tx.select({ id: dreamDna.id }).from(dreamDna).where(eq(dreamDna.businessId, payload.userId)).orderBy(desc(dreamDna.version)).limit(1);
        if (current) {
          await tx.update(dreamDna).set({ selectedDomain: payload.domain, updatedAt: new Date() }).where(eq(dreamDna.id, current.id));
          return 'current';
        }
        await tx.insert(dreamDna).values({ id: randomUUID(), businessId: payload.userId, version: 1, selectedDomain: payload.domain }).onConflictDoNothing();
        return 'first';
      });
      if (updated === ERASED) return erasedOutcome;
      return { version: updated };
    },
  };
}
