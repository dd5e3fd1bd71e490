import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { AnalysisJobs, JobPayloadOf, ConsultationView } from '@dreamseed/contracts';
import { sleep, withOwnerRole, withoutData, type FounderEventPublisher, type JobContext, type JobProducer } from '@dreamseed/platform';
import { explicitSources, fillGaps, mergeSources, nextDreamDna, sameDreamDna, sanitizeOutput } from '../analysis/merge';
import { BUSINESS_FACT_FIELDS, DREAM_DNA_FIELDS, type AnalysisOutput, type DreamDnaFields } from '../analysis/output';
import { AnalysisProviderError, type AnalysisInput, type AnalysisProvider } from '../analysis/provider';
import type { AnalysisDb, AnalysisTx } from '../db/client';
import { aiAnalysis, assessmentResponses, businessAssessment, businessFacts, dreamDna } from '../db/schema';
import { clearAnalysisFailed, failureCodeOf, raiseAnalysisFailed } from './attention';
import { ERASED, erasedOutcome, unlessErased } from './unless-erased';

type AnalyseFounder = JobPayloadOf<AnalysisJobs, 'analyse-founder'>;
type Run = typeof aiAnalysis.$inferSelect;

/** What a run is for; `runId` names its row, so that a run the founder asked for reads back by the id they were given. */
type RunRequest = Pick<AnalyseFounder, 'userId' | 'trigger' | 'sourceId'> & { runId?: string };

/** The founder is part of the key: a source id only has to be unique for its founder. */
const runKeyOf = (request: RunRequest) => `${request.userId}:${request.trigger}:${request.sourceId}`;

type RunContext = Pick<JobContext, 'lastAttempt' | 'log' | 'signal' | 'correlationId'>;

/** What a finished run keeps besides the provider's findings, so its follow-ups can be sent again on a retry. */
interface ParsedOutput extends AnalysisOutput {
  brandCall: boolean;
  /** The formation call (the fourth) was among the inputs: the consultation is complete. */
  consultationComplete: boolean;
}

export interface AnalyserDeps {
  db: AnalysisDb;
  producer: JobProducer;
  provider: AnalysisProvider;
  fetchConsultation: (userId: string, signal?: AbortSignal) => Promise<ConsultationView>;
  logger: Logger;
  /**
   * How long one copy of a job may hold a run while it asks the provider (the provider's whole budget, retries
   * included, and a margin); a copy that crashed holding it is taken over after that. Default 5 minutes.
   */
  leaseMs?: number;
  /** How often a second copy looks again while another holds the run (default 1 s). */
  leasePollMs?: number;
  /** Tells the founder's app of a new Dream DNA version (after the commit). */
  events?: Pick<FounderEventPublisher, 'publish'>;
}

/**
 * One writer of a founder's Dream DNA at a time (a run writing its version, the founder's erasure): versions are
 * numbered in order, a slower run cannot undo a newer one, and an erasure does not interleave with a write. A
 * transaction that also takes the erasure lock (`unlessErased`, the erasure) takes that one first.
 */
export async function lockFounderDreamDna(tx: AnalysisTx, userId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('dream_dna'), hashtext(${userId}))`);
}

/** The run's row was deleted while it ran: the founder's account was erased (`erase-founder`), so nothing is written. */
class RunErased extends Error {
  constructor() {
    super('the run was erased with its founder while it ran');
  }
}

const BRAND_STAGE = 3;
const LAST_STAGE = 4;

/**
 * One analysis run per trigger and source (a call, an assessment, a request): the run row is claimed first, so
 * a job delivered twice runs once and a retried job carries on with the same row. The provider reads every
 * call, assessment and saved fact of the founder; the result becomes a new Dream DNA version when it differs
 * from the current one or was asked for (a re-run), and the business facts go to the profile.
 */
export class Analyser {
  constructor(private readonly deps: AnalyserDeps) {}

  async run(payload: RunRequest, context: RunContext) {
    try {
      return await this.analyse(payload, context);
    } catch (error) {
      if (error instanceof RunErased) {
        // Not a failure, and a retry would find the founder erased all the same: done, with nothing written.
        context.log.info('the founder was erased while the run ran; nothing written');
        return erasedOutcome;
      }
      // A job that fails for good without its run recorded as failed (the database away on every try, a stop
      // while another copy held the run): an operator is told all the same, when the gateway's queue is there.
      if (context.lastAttempt) {
        const run = { userId: payload.userId, trigger: payload.trigger, runKey: runKeyOf(payload) };
        await raiseAnalysisFailed(this.deps.producer, run, { at: new Date(), code: failureCodeOf(error) }, context.correlationId).catch((raiseError: unknown) =>
          context.log.warn({ err: { class: (raiseError as Error).name } }, 'the failed analysis could not be flagged for operators'),
        );
      }
      throw error;
    }
  }

  private async analyse(payload: RunRequest, context: RunContext) {
    const { db, provider } = this.deps;
    const run = await this.claim(payload);
    if (run === ERASED) {
      // Queued before the founder's erasure and started after it: no run, no provider, no follow-ups.
      context.log.info('the founder was erased before the run started; nothing written');
      return erasedOutcome;
    }
    // One copy asks the provider at a time; another waits for its outcome (or for its lease to lapse).
    const held = run.status === 'pending' ? await this.lease(run.id, context.signal) : { finished: run };
    if ('finished' in held) {
      // Done before (a duplicate, a retry after the follow-ups failed) or by another copy: the follow-ups are
      // idempotent.
      await this.followUps(held.finished, context.correlationId);
      return { status: held.finished.status, dreamDnaVersion: held.finished.dreamDnaVersion };
    }
    const final = context.lastAttempt;
    const started = performance.now();
    let done: Run;
    // Set when this copy wrote a new version: a copy that finds the run finished by another tells nothing.
    let wroteVersion: number | null = null;
    try {
      const input = await this.input(payload.userId, context.signal);
      const result = await provider.analyse(input);
      let output = sanitizeOutput(result.output);
      // The model read everything at once; explicit answers it left open still count.
      if (provider.name !== 'offline') output = fillGaps(output, mergeSources(explicitSources(input)));
      const sourceCall = input.calls.find((call) => call.vapiCallId === payload.sourceId);
      const parsed: ParsedOutput = {
        ...output,
        brandCall: payload.trigger === 'call-ended' && sourceCall?.callStage === BRAND_STAGE,
        consultationComplete: input.calls.some((call) => call.callStage === LAST_STAGE),
      };
      done = await withOwnerRole(db, 'analysis', async (tx) => {
        await lockFounderDreamDna(tx, payload.userId);
        // A second copy of this job (a stalled job taken over while the first still ran) may have finished the run.
        const [now] = await tx.select().from(aiAnalysis).where(eq(aiAnalysis.id, run.id));
        if (!now) throw new RunErased();
        if (now.status !== 'pending') return now;
        const [current] = await tx.select().from(dreamDna).where(eq(dreamDna.businessId, payload.userId)).orderBy(desc(dreamDna.version)).limit(1);
        const transcriptIds = input.calls.map((call) => call.transcriptId);
        const assessmentIds = input.assessments.map((assessment) => assessment.id);
        const base = {
          provider: provider.name,
          model: result.model,
          rawOutput: result.raw,
          parsedOutput: parsed,
          inputTokens: result.inputTokens,
          outputTokens: result.outputTokens,
          costUsd: result.costUsd === null ? null : String(result.costUsd),
          latencyMs: Math.round(performance.now() - started),
          transcriptIds,
          assessmentIds,
          completedAt: new Date(),
          error: null,
        };
        const currentFields = current ? fieldsOf(current) : null;
        const next = nextDreamDna(currentFields, output);
        const superseded = current?.aiAnalysisId ? await readMoreThan(tx, current.aiAnalysisId, transcriptIds, assessmentIds) : false;
        let version: number | null = null;
        // A re-run is asked for by a person (the founder or an operator) who wants a fresh reading: it gets a
        // version of its own even when the fields come out the same, so that the history shows the reading was
        // made and by which run. Automatic runs add a version only for a change.
        const asked = payload.trigger === 'manual';
        if (!superseded && (asked || !sameDreamDna(currentFields, next))) {
          version = (current?.version ?? 0) + 1;
          await tx.insert(dreamDna).values({ businessId: payload.userId, ...next, version, selectedDomain: current?.selectedDomain ?? null, aiAnalysisId: run.id });
          wroteVersion = version;
        }
        if (assessmentIds.length) {
          await tx.update(businessAssessment).set({ status: 'analysed', analysedAt: new Date() }).where(and(inArray(businessAssessment.id, assessmentIds), eq(businessAssessment.status, 'submitted')));
        }
        const [updated] = await tx
          .update(aiAnalysis)
          .set({ ...base, status: version ? 'succeeded' : 'unchanged', dreamDnaVersion: version ?? current?.version ?? null, error: superseded ? 'a newer run had already read more; this result was not applied' : null })
          .where(eq(aiAnalysis.id, run.id))
          .returning();
        if (!updated) throw new Error('the run row disappeared');
        return updated;
      });
    } catch (error) {
      // Not a failure to record: there is no run left to record it on (see `run`).
      if (error instanceof RunErased) throw error;
      const retryable = !(error instanceof AnalysisProviderError) || error.retryable;
      if (retryable && !final) {
        // The retry must not wait out this try's lease.
        await this.releaseLease(run.id, held.holder).catch(() => undefined);
        throw error;
      }
      // Kept on the run and shown to operators: a database error's message would carry the statement's values.
      const safe = withoutData(error);
      const message = safe instanceof Error ? safe.message.slice(0, 500) : 'unknown error';
      const [failed] = await withOwnerRole(db, 'analysis', (tx) =>
        tx
          .update(aiAnalysis)
          .set({
            status: 'failed',
            error: error instanceof AnalysisProviderError ? `${error.kind}: ${message}` : message,
            rawOutput: error instanceof AnalysisProviderError ? (error.raw ?? null) : null,
            latencyMs: Math.round(performance.now() - started),
            completedAt: new Date(),
          })
          // Only a run still open: one another copy finished stays as it is.
          .where(and(eq(aiAnalysis.id, run.id), eq(aiAnalysis.status, 'pending')))
          .returning(),
      );
      context.log.warn({ runId: run.id, err: { message, kind: error instanceof AnalysisProviderError ? error.kind : 'internal' } }, 'analysis failed; the Dream DNA is unchanged');
      if (failed) await raiseAnalysisFailed(this.deps.producer, runOf(failed), { at: failed.completedAt ?? new Date(), code: failureCodeOf(error) }, context.correlationId);
      return { status: 'failed' };
    }
    context.log.info({ runId: run.id, status: done.status, version: done.dreamDnaVersion, latencyMs: done.latencyMs, provider: provider.name }, 'analysis done');
    if (wroteVersion !== null && done.dreamDnaVersion === wroteVersion) {
      await this.deps.events?.publish(done.businessId, 'dream_dna.changed', { version: wroteVersion, occurred_at: (done.completedAt ?? new Date()).toISOString() });
    }
    // After the commit and outside the failure handling: the run is done whatever happens here. A follow-up that
    // cannot be queued fails the job, whose retry finds the run done and sends them again (their ids are stable).
    await this.followUps(done, context.correlationId);
    return { status: done.status, dreamDnaVersion: done.dreamDnaVersion };
  }

  /**
   * Takes the run for this copy of the job, or waits while another copy holds it: until that copy finishes the
   * run (its result is returned) or its lease lapses (a crash), when this copy takes over.
   */
  private async lease(runId: string, signal: AbortSignal): Promise<{ holder: string } | { finished: Run }> {
    const holder = randomUUID();
    const leaseMs = this.deps.leaseMs ?? 5 * 60_000;
    for (;;) {
      const outcome = await withOwnerRole(this.deps.db, 'analysis', async (tx) => {
        const [taken] = await tx
          .update(aiAnalysis)
          .set({ leaseHolder: holder, leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'` })
          .where(and(eq(aiAnalysis.id, runId), eq(aiAnalysis.status, 'pending'), or(isNull(aiAnalysis.leaseUntil), lt(aiAnalysis.leaseUntil, sql`now()`))))
          .returning({ id: aiAnalysis.id });
        if (taken) return { holder };
        const [now] = await tx.select().from(aiAnalysis).where(eq(aiAnalysis.id, runId));
        if (!now) throw new RunErased();
        return now.status === 'pending' ? undefined : { finished: now };
      });
      if (outcome) return outcome;
      await sleep(this.deps.leasePollMs ?? 1000);
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('the job was stopped while another copy held its run');
    }
  }

  private async releaseLease(runId: string, holder: string) {
    await withOwnerRole(this.deps.db, 'analysis', (tx) =>
      tx.update(aiAnalysis).set({ leaseHolder: null, leaseUntil: null }).where(and(eq(aiAnalysis.id, runId), eq(aiAnalysis.leaseHolder, holder))),
    );
  }

  /** The run's row, found or created, or `ERASED` for a founder erased before: the run row is the root of what a run writes. */
  private async claim(payload: RunRequest): Promise<Run | typeof ERASED> {
    const runKey = runKeyOf(payload);
    return unlessErased(this.deps.db, payload.userId, async (tx) => {
      const [inserted] = await tx
        .insert(aiAnalysis)
        .values({
          ...(payload.runId ? { id: payload.runId } : {}),
          businessId: payload.userId,
          runKey,
          trigger: payload.trigger,
          provider: this.deps.provider.name,
          model: this.deps.provider.model,
          promptVersion: this.deps.provider.promptVersion,
        })
        .onConflictDoNothing({ target: aiAnalysis.runKey })
        .returning();
      if (inserted) return inserted;
      const [existing] = await tx.select().from(aiAnalysis).where(eq(aiAnalysis.runKey, runKey));
      if (!existing) throw new Error('the run row could neither be inserted nor found');
      return existing;
    });
  }

  private async input(userId: string, signal: AbortSignal): Promise<AnalysisInput> {
    const consultation = await this.deps.fetchConsultation(userId, signal);
    return withOwnerRole(this.deps.db, 'analysis', async (tx) => {
      const assessments = await tx.select().from(businessAssessment).where(eq(businessAssessment.businessId, userId)).orderBy(businessAssessment.submittedAt);
      const responses = assessments.length
        ? await tx.select().from(assessmentResponses).where(inArray(assessmentResponses.assessmentId, assessments.map((a) => a.id)))
        : [];
      const facts = await tx.select().from(businessFacts).where(eq(businessFacts.businessId, userId)).orderBy(businessFacts.createdAt);
      return {
        calls: consultation.calls,
        assessments: assessments.map((a) => ({
          id: a.id,
          submittedAt: a.submittedAt,
          catalogVersion: a.catalogVersion,
          answers: responses.filter((r) => r.assessmentId === a.id).map((r) => ({ questionId: r.questionId, value: r.answer })),
        })),
        facts: facts.map((f) => ({ field: f.field, value: f.value, createdAt: f.createdAt })),
      };
    });
  }

  /**
   * The profile hears the business facts, and that the analysis is ready once the four calls are in; the brand
   * call starts a domain search. Operators hear of a run that failed, and that a later one succeeded.
   */
  private async followUps(run: Run, correlationId: string) {
    if (run.status === 'failed') {
      // Failed by an earlier try, whose flag may not have reached the gateway's queue (its id makes this a no-op
      // if it did; the run's error says why).
      await raiseAnalysisFailed(this.deps.producer, runOf(run), { at: run.completedAt ?? new Date() }, correlationId);
      return;
    }
    if (run.status !== 'succeeded' && run.status !== 'unchanged') return;
    await clearAnalysisFailed(this.deps.producer, run.businessId, run.id, run.completedAt ?? new Date(), correlationId);
    const parsed = run.parsedOutput as ParsedOutput | null;
    if (!parsed) return;
    const occurredAt = (run.completedAt ?? new Date()).toISOString();
    const facts = Object.fromEntries(BUSINESS_FACT_FIELDS.map((field) => [field, parsed.businessFacts[field]?.value]).filter(([, value]) => value));
    if (Object.keys(facts).length) {
      await this.deps.producer.enqueue('gateway', 'profile-business-facts', { v: 1, userId: run.businessId, eventId: `analysis-facts-${run.id}`, occurredAt, facts }, { jobId: `analysis-facts-${run.id}`, correlationId });
    }
    if (parsed.consultationComplete && run.dreamDnaVersion) {
      await this.deps.producer.enqueue('gateway', 'profile-analysis-ready', { v: 1, userId: run.businessId, eventId: `analysis-ready-${run.id}`, occurredAt, dreamDnaVersion: run.dreamDnaVersion }, { jobId: `analysis-ready-${run.id}`, correlationId });
    }
    if (parsed.brandCall) {
      const [current] = await withOwnerRole(this.deps.db, 'analysis', (tx) =>
        tx.select().from(dreamDna).where(eq(dreamDna.businessId, run.businessId)).orderBy(desc(dreamDna.version)).limit(1),
      );
      await this.deps.producer.enqueue(
        'domain',
        'search-domains',
        {
          v: 1,
          userId: run.businessId,
          searchId: run.id,
          trigger: 'brand-call',
          brief: {
            businessName: parsed.businessFacts.businessName.value,
            businessType: parsed.businessFacts.businessType.value,
            primaryService: current?.primaryService ?? null,
            whoServes: current?.whoServes ?? null,
            brandVibe: (current?.brandVibe as DreamDnaFields['brandVibe']) ?? null,
            priceLevel: (current?.priceLevel as DreamDnaFields['priceLevel']) ?? null,
          },
        },
        { jobId: `brand-search-${run.id}`, correlationId },
      );
    }
  }
}

const runOf = (run: Run) => ({ userId: run.businessId, trigger: run.trigger, runKey: run.runKey });

function fieldsOf(row: typeof dreamDna.$inferSelect): DreamDnaFields {
  return Object.fromEntries(DREAM_DNA_FIELDS.map((field) => [field, row[field] ?? null])) as DreamDnaFields;
}

/** Whether the run behind the current version read strictly more than this one (a run that finished first). */
async function readMoreThan(tx: AnalysisTx, runId: string, transcriptIds: string[], assessmentIds: string[]): Promise<boolean> {
  const [other] = await tx.select({ transcriptIds: aiAnalysis.transcriptIds, assessmentIds: aiAnalysis.assessmentIds }).from(aiAnalysis).where(eq(aiAnalysis.id, runId));
  if (!other) return false;
  const covers = (mine: string[], theirs: string[]) => mine.every((id) => theirs.includes(id));
  return covers(transcriptIds, other.transcriptIds) && covers(assessmentIds, other.assessmentIds) && other.transcriptIds.length + other.assessmentIds.length > transcriptIds.length + assessmentIds.length;
}
