import { UnrecoverableError } from 'bullmq';
import { and, desc, eq, sql } from 'drizzle-orm';
import { parseDomainName, type DomainJobs, type JobPayloadOf } from '@dreamseed/contracts';
import { founderErased, jobIdFrom, withOwnerRole, withDeadline, type JobContext, type JobProducer } from '@dreamseed/platform';
import type { AvailabilityChecker } from '../availability/checker';
import type { DomainDb } from '../db/client';
import { domainSearches, domainSelections } from '../db/schema';

type SelectPayload = JobPayloadOf<DomainJobs, 'select-domain'>;

const RECHECK_DEADLINE_MS = 10_000;

/**
 * `select-domain`: the founder's choice is re-checked (not from the cache). A taken name ends as `unavailable`
 * with a message for the founder; otherwise it is recorded on the search it came from (or the latest one), and
 * the analysis service (Dream DNA) and the gateway (profile status) are told, once per selection. For a founder
 * erased before it started nothing is written or told (`erased`); a selection that began first is deleted by the
 * erasure, and finds that out when it decides.
 */
export class DomainSelection {
  constructor(
    private readonly db: DomainDb,
    private readonly checker: AvailabilityChecker,
    private readonly producer: JobProducer,
  ) {}

  async select(p: SelectPayload, { log, signal, correlationId }: JobContext) {
    const parsed = parseDomainName(p.domain);
    if (!parsed.ok) throw new UnrecoverableError(`not a domain the platform offers: ${parsed.problem}`);
    const domain = parsed.domain;
    let selection = await this.open(p, domain);
    if (!selection) {
      log.info('founder erased: selection not recorded');
      return { outcome: 'erased' };
    }
    if (selection.status === 'unavailable') return { outcome: 'unavailable' };

    if (selection.status === 'pending') {
      const [answer] = await withDeadline(RECHECK_DEADLINE_MS, signal, (deadline) => this.checker.check([domain], { fresh: true, signal: deadline }));
      if (answer?.available === false) {
        await this.decide(p.selectionId, { status: 'unavailable', available: false, provider: answer.provider, message: `${domain} is already registered; choose another name.` });
        log.info({ provider: answer.provider }, 'selected domain is taken');
        return { outcome: 'unavailable' };
      }
      selection = await withOwnerRole(this.db, 'domain', async (tx) => {
        const searchId = await this.searchFor(tx, p.userId, domain);
        const decidedAt = new Date();
        const [decided] = await tx
          .update(domainSelections)
          .set({
            status: 'selected',
            available: answer?.available ?? null,
            provider: answer?.provider ?? null,
            searchId,
            message: answer?.available ? null : `We could not confirm that ${domain} is free; it is checked again when it is registered.`,
            decidedAt,
          })
          .where(and(eq(domainSelections.id, p.selectionId), eq(domainSelections.status, 'pending')))
          .returning();
        // Another copy of this job decided first (a stalled job taken over): its decision stands, taken or not.
        // No row at all: the founder was erased since the selection opened.
        if (!decided) return this.find(tx, p.selectionId);
        if (searchId) await tx.update(domainSearches).set({ selectedDomain: domain, selectedAt: decidedAt }).where(eq(domainSearches.id, searchId));
        return decided;
      });
      if (!selection) {
        log.info('founder erased while the selection was checked: nothing recorded');
        return { outcome: 'erased' };
      }
      if (selection.status === 'unavailable') return { outcome: 'unavailable' };
    }

    // Sent again on a retry: the job ids (and the gateway's event id) make the second sending a no-op.
    const eventId = jobIdFrom('domain-selected', p.selectionId);
    const occurredAt = (selection.decidedAt ?? new Date()).toISOString();
    await this.producer.enqueue('analysis', 'record-selected-domain', { v: 1, userId: p.userId, domain, ...(selection.searchId ? { searchId: selection.searchId } : {}) }, { jobId: eventId, correlationId });
    await this.producer.enqueue('gateway', 'profile-domain-selected', { v: 1, userId: p.userId, eventId, occurredAt, domain }, { jobId: eventId, correlationId });
    return { outcome: 'selected', searchId: selection.searchId };
  }

  /** The selection's row, created pending on the first run; none when the founder was erased (nothing written). */
  private open(p: SelectPayload, domain: string) {
    return withOwnerRole(this.db, 'domain', async (tx) => {
      if (await founderErased(tx, 'domain', p.userId)) return undefined;
      await tx.insert(domainSelections).values({ id: p.selectionId, businessId: p.userId, domain }).onConflictDoNothing();
      const row = await this.find(tx, p.selectionId);
      if (!row) throw new Error(`selection ${p.selectionId} vanished`);
      if (row.businessId !== p.userId) throw new UnrecoverableError('this selection id belongs to another founder');
      return row;
    });
  }

  private async find(tx: Parameters<Parameters<DomainDb['transaction']>[0]>[0], id: string) {
    const [row] = await tx.select().from(domainSelections).where(eq(domainSelections.id, id));
    return row;
  }

  /** The founder's latest search that proposed this name, else their latest search. */
  private async searchFor(tx: Parameters<Parameters<DomainDb['transaction']>[0]>[0], businessId: string, domain: string): Promise<string | null> {
    const [proposing] = await tx
      .select({ id: domainSearches.id })
      .from(domainSearches)
      .where(and(eq(domainSearches.businessId, businessId), sql`${domainSearches.candidates} @> ${JSON.stringify([{ domain }])}::jsonb`))
      .orderBy(desc(domainSearches.createdAt))
      .limit(1);
    if (proposing) return proposing.id;
    const [latest] = await tx.select({ id: domainSearches.id }).from(domainSearches).where(eq(domainSearches.businessId, businessId)).orderBy(desc(domainSearches.createdAt)).limit(1);
    return latest?.id ?? null;
  }

  private decide(id: string, values: Partial<typeof domainSelections.$inferInsert>) {
    return withOwnerRole(this.db, 'domain', (tx) =>
      tx.update(domainSelections).set({ ...values, decidedAt: new Date() }).where(and(eq(domainSelections.id, id), eq(domainSelections.status, 'pending'))),
    );
  }
}
