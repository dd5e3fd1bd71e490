import { UnrecoverableError } from 'bullmq';
import { eq, sql } from 'drizzle-orm';
import type { DomainCandidateView, JobPayloadOf, DomainJobs } from '@dreamseed/contracts';
import { founderErased, withOwnerRole, withDeadline, type JobContext } from '@dreamseed/platform';
import type { AvailabilityChecker } from '../availability/checker';
import { candidateView, type Availability } from '../availability/types';
import type { DomainDb } from '../db/client';
import { domainSearches } from '../db/schema';
import { generateNames, type NameCandidate } from '../names/generator';

type SearchPayload = JobPayloadOf<DomainJobs, 'search-domains'>;

/** A whole search (every candidate checked) gives up on lookups still running after this. */
const SEARCH_DEADLINE_MS = 20_000;

/**
 * `search-domains`: names from the brief and keywords, each checked, stored on the search row whose id the
 * sender minted. Running it again for a finished search does nothing. For a founder erased before it started
 * nothing is written (`erased`); a search that began first is deleted by the erasure, and its end finds no row.
 */
export class DomainSearches {
  constructor(
    private readonly db: DomainDb,
    private readonly checker: AvailabilityChecker,
    private readonly candidatesPerSearch: number,
  ) {}

  async search(p: SearchPayload, { log, signal }: JobContext) {
    const existing = await this.open(p);
    if (existing === 'erased') {
      log.info('founder erased: search not made');
      return { outcome: 'erased' };
    }
    if (existing) return { outcome: 'duplicate', status: existing };

    const names = generateNames({ brief: p.brief, keywords: p.keywords, tlds: p.tlds?.map((tld) => tld.toLowerCase()), limit: this.candidatesPerSearch });
    if (!names.length) {
      const finished = await this.finish(p.searchId, { status: 'failed', error: 'There are no words to build names from: give keywords or a business name.' });
      return finished ? { outcome: 'failed', candidates: 0 } : { outcome: 'erased' };
    }
    const answers = await withDeadline(SEARCH_DEADLINE_MS, signal, (deadline) => this.checker.check(names.map((name) => name.domain), { signal: deadline }));
    const candidates = rank(names, answers);
    const providers = [...new Set(answers.map((answer) => answer.provider))].sort();
    if (!(await this.finish(p.searchId, { status: 'completed', candidates, providers, error: null }))) return { outcome: 'erased' };
    const available = candidates.filter((c) => c.available).length;
    log.info({ candidates: candidates.length, available, unknown: candidates.filter((c) => c.available === null).length }, 'domain search done');
    return { outcome: 'completed', candidates: candidates.length, available };
  }

  /**
   * Creates the row as `running`; returns the status of a search that already ended (nothing left to do), or
   * `erased` when the founder was (nothing may be written). The marker is committed without waiting for the disk
   * (a few ms per search): if a crash loses it, the job's retry writes it again, and the outcome itself (`finish`)
   * is committed durably.
   */
  private async open(p: SearchPayload): Promise<'erased' | 'completed' | 'failed' | undefined> {
    return withOwnerRole(this.db, 'domain', async (tx) => {
      if (await founderErased(tx, 'domain', p.userId)) return 'erased';
      await tx.execute(sql`select set_config('synchronous_commit', 'off', true)`);
      const [created] = await tx
        .insert(domainSearches)
        .values({ id: p.searchId, businessId: p.userId, trigger: p.trigger, keywords: p.keywords ?? [], tlds: p.tlds ?? [], status: 'running', startedAt: new Date() })
        .onConflictDoNothing()
        .returning({ id: domainSearches.id });
      if (created) return undefined;
      const [row] = await tx.select({ businessId: domainSearches.businessId, status: domainSearches.status }).from(domainSearches).where(eq(domainSearches.id, p.searchId));
      if (!row || row.businessId !== p.userId) throw new UnrecoverableError('this search id belongs to another founder');
      return row.status === 'completed' || row.status === 'failed' ? row.status : undefined;
    });
  }

  /** Records how the search ended; false when its row is gone, which only the founder's erasure does. */
  private async finish(searchId: string, values: Partial<typeof domainSearches.$inferInsert>): Promise<boolean> {
    const finished = await withOwnerRole(this.db, 'domain', (tx) =>
      tx.update(domainSearches).set({ ...values, completedAt: new Date() }).where(eq(domainSearches.id, searchId)).returning({ id: domainSearches.id }),
    );
    return finished.length > 0;
  }
}

/**
 * Candidates as the founder sees them: free names first, then those nobody could answer for, then taken ones;
 * within each group in the generator's order (best first).
 */
function rank(names: NameCandidate[], answers: Availability[]): DomainCandidateView[] {
  const group = (available: boolean | null) => (available === true ? 0 : available === null ? 1 : 2);
  const views = names.map((name, i) => ({ ...candidateView(answers[i] as Availability), score: name.score }));
  // Array.prototype.sort is stable: equal groups keep the generator's order.
  return views.sort((a, b) => group(a.available) - group(b.available));
}

/** The stored candidate list as the API shows it. */
export const candidateViews = (stored: unknown): DomainCandidateView[] =>
  // Searches stored before currencies were lower-cased still hold `USD`.
  Array.isArray(stored) ? (stored as DomainCandidateView[]).map((candidate) => ({ ...candidate, currency: candidate.currency?.toLowerCase() ?? null })) : [];
