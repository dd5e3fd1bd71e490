import { UnrecoverableError } from 'bullmq';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { parseDomainName, type DomainJobs, type JobPayloadOf } from '@dreamseed/contracts';
import { founderErased, withDeadline, withOwnerRole, type JobContext, type JobProducer } from '@dreamseed/platform';
import type { AvailabilityChecker } from '../availability/checker';
import type { DomainDb } from '../db/client';
import { domainRegistrations } from '../db/schema';
import type { ConsentSource, RegistrantSource } from './gateway';
import { reportFailed, reportRegistered } from './reports';
import { RegistrationError, type Registrar, type Registration } from './types';

type RegisterPayload = JobPayloadOf<DomainJobs, 'register-domain'>;
type RegistrationRow = typeof domainRegistrations.$inferSelect;

const RECHECK_DEADLINE_MS = 10_000;

/** Why a registration ended without a purchase: the founder deleted their account (`erase-founder`). */
const FOUNDER_ERASED = 'founder_erased';

export interface RegistrationDeps {
  db: DomainDb;
  checker: AvailabilityChecker;
  registrar: Registrar;
  registrants: RegistrantSource;
  consents: ConsentSource;
  producer: JobProducer;
}

/**
 * `register-domain`: buys the founder's chosen domain, once per request, whatever happens on the way.
 *
 * The row (keyed by the request id) is the memory between tries. Before a purchase is sent its `attempts` is
 * counted and committed; so a try that finds `attempts > 0` knows a purchase may have gone through unanswered, and
 * asks the registrar first whether the domain is already the account's. Only when it is not are availability (a
 * fresh check: taken fails for good, no purchase), the founder's registrant contact and their consent to the
 * registrar's agreements (none: fails for good, no purchase) read and the purchase sent.
 * Transient errors throw and BullMQ tries again; permanent ones, or the last try's, end the registration `failed`,
 * tell the gateway, and raise `domain_registration_failed` for operators. Running a failed request again (an
 * operator's retry) opens it again.
 *
 * A founder erased before the purchase is counted gets none: a request that had not begun writes nothing, one that
 * had ends `failed` (`founder_erased`), and the job completes as `erased`. A purchase counted before the erasure
 * went to the registrar, so what it bought is recorded and kept. The gateway, which has deleted the founder, is
 * told nothing.
 */
export class DomainRegistrations {
  constructor(private readonly deps: RegistrationDeps) {}

  async register(p: RegisterPayload, { log, signal, correlationId, lastAttempt }: JobContext) {
    const parsed = parseDomainName(p.domain);
    const opened = await this.open(p, parsed.ok ? parsed.domain : p.domain.trim().toLowerCase());
    const { erased } = opened;
    if (!opened.row) {
      log.warn('founder erased before their domain registration began: nothing bought');
      return { outcome: 'erased' };
    }
    let row = opened.row;
    if (row.status === 'registered') {
      // A repeat of a request that succeeded: its report again, under the same ids.
      if (!erased) await reportRegistered(this.deps.producer, row, correlationId);
      return { outcome: 'registered', orderId: row.orderId };
    }
    try {
      if (!parsed.ok) throw new RegistrationError('invalid_domain', true);
      const registration = await this.attempt(row, erased, signal, correlationId);
      row = await this.update(row, { status: 'registered', orderId: registration.orderId, expiresAt: registration.expiresAt, lastError: null });
      log.info({ registrar: row.provider, attempts: row.attempts }, 'domain registered');
      if (!erased) await reportRegistered(this.deps.producer, row, correlationId);
      return { outcome: 'registered', orderId: row.orderId };
    } catch (error) {
      if (signal.aborted) throw error;
      const failure = error instanceof RegistrationError ? error : undefined;
      const code = failure?.code ?? (error instanceof Error ? error.name : 'unknown');
      if (!failure?.permanent && !lastAttempt) {
        await this.update(row, { lastError: code });
        log.warn({ reason: code, attempts: row.attempts }, 'domain registration will be tried again');
        throw error;
      }
      const failed = await this.update(row, { status: 'failed', lastError: code }, { unlessRegistered: true });
      // Another copy of this job (a stalled one taken over) registered it meanwhile: its outcome stands.
      if (!failed) return { outcome: 'registered' };
      row = failed;
      if (code === FOUNDER_ERASED) {
        log.warn({ attempts: row.attempts }, 'founder erased before their domain was bought: registration cancelled');
        return { outcome: 'erased' };
      }
      log.warn({ reason: code, attempts: row.attempts }, 'domain registration failed for good');
      if (!erased) await reportFailed(this.deps.producer, row, correlationId);
      // A taken name is an answer, not a fault: the job completes. Anything else stays among the failed jobs,
      // where an operator can retry it once the cause is fixed.
      if (code === 'domain_taken') return { outcome: 'failed', reason: code };
      throw new UnrecoverableError(`domain registration failed: ${code}`);
    }
  }

  private async attempt(row: RegistrationRow, erased: boolean, signal: AbortSignal, correlationId: string): Promise<Registration> {
    const { registrar, checker, registrants, consents } = this.deps;
    if (row.attempts > 0) {
      // A purchase was sent before and its outcome is not known here: never send another blindly.
      const ours = await registrar.lookup(row.domain, signal);
      if (ours) return ours;
    }
    if (erased) throw new RegistrationError(FOUNDER_ERASED, true);
    const [answer] = await withDeadline(RECHECK_DEADLINE_MS, signal, (deadline) => checker.check([row.domain], { fresh: true, signal: deadline }));
    if (answer?.available === false) throw new RegistrationError('domain_taken', true);
    const contact = await registrants(row.businessId, signal, correlationId);
    const consent = await consents(row.businessId, row.domain, signal, correlationId);
    row.attempts = await this.countPurchase(row);
    return registrar.purchase({ requestId: row.requestId, domain: row.domain, years: row.years, contact, consent }, signal);
  }

  /**
   * Counts the purchase about to be sent, the point after which it has begun; refused (`founder_erased`) when the
   * founder was erased, which the erasure cannot do while this transaction holds the founder's lock.
   */
  private countPurchase(row: RegistrationRow): Promise<number> {
    return withOwnerRole(this.deps.db, 'domain', async (tx) => {
      if (await founderErased(tx, 'domain', row.businessId)) throw new RegistrationError(FOUNDER_ERASED, true);
      const [counted] = await tx
        .update(domainRegistrations)
        .set({ attempts: sql`${domainRegistrations.attempts} + 1`, updatedAt: new Date() })
        .where(eq(domainRegistrations.requestId, row.requestId))
        .returning({ attempts: domainRegistrations.attempts });
      if (!counted) throw new Error(`registration ${row.requestId} vanished`);
      return counted.attempts;
    });
  }

  /**
   * The request's row: created on its first run; a failed one opened again (a retry was asked for). For a founder
   * erased (`erased`) nothing is created or opened again: the row is there only if the request began before.
   */
  private open(p: RegisterPayload, domain: string): Promise<{ row: RegistrationRow | undefined; erased: boolean }> {
    return withOwnerRole(this.deps.db, 'domain', async (tx) => {
      const erased = await founderErased(tx, 'domain', p.userId);
      if (!erased) {
        await tx
          .insert(domainRegistrations)
          .values({ requestId: p.requestId, businessId: p.userId, domain, years: p.years, provider: this.deps.registrar.name })
          .onConflictDoNothing();
        await tx
          .update(domainRegistrations)
          .set({ status: 'pending', updatedAt: new Date() })
          .where(and(eq(domainRegistrations.requestId, p.requestId), eq(domainRegistrations.status, 'failed')));
      }
      const [row] = await tx.select().from(domainRegistrations).where(eq(domainRegistrations.requestId, p.requestId));
      if (!row && !erased) throw new Error(`registration ${p.requestId} vanished`);
      if (row && (row.businessId !== p.userId || row.domain !== domain)) throw new UnrecoverableError('this request id names another founder or domain');
      return { row, erased };
    });
  }

  private async update(row: RegistrationRow, values: PgUpdateSetSource<typeof domainRegistrations>): Promise<RegistrationRow>;
  private async update(row: RegistrationRow, values: PgUpdateSetSource<typeof domainRegistrations>, only: { unlessRegistered: true }): Promise<RegistrationRow | undefined>;
  private async update(row: RegistrationRow, values: PgUpdateSetSource<typeof domainRegistrations>, only?: { unlessRegistered: true }) {
    const mine = eq(domainRegistrations.requestId, row.requestId);
    const [updated] = await withOwnerRole(this.deps.db, 'domain', (tx) =>
      tx
        .update(domainRegistrations)
        .set({ ...values, updatedAt: new Date() })
        .where(only ? and(mine, ne(domainRegistrations.status, 'registered')) : mine)
        .returning(),
    );
    if (!updated && !only) throw new Error(`registration ${row.requestId} vanished`);
    return updated;
  }
}
