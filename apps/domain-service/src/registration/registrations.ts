import { UnrecoverableError } from 'bullmq';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { parseDomainName, type DomainJobs, type JobPayloadOf } from '@dreamseed/contracts';
import { withDeadline, withOwnerRole, type JobContext, type JobProducer } from '@dreamseed/platform';
import type { AvailabilityChecker } from '../availability/checker';
import type { DomainDb } from '../db/client';
import { domainRegistrations } from '../db/schema';
import type { RegistrantSource } from './registrant';
import { reportFailed, reportRegistered } from './reports';
import { RegistrationError, type Registrar, type Registration } from './types';

type RegisterPayload = JobPayloadOf<DomainJobs, 'register-domain'>;
type RegistrationRow = typeof domainRegistrations.$inferSelect;

const RECHECK_DEADLINE_MS = 10_000;

export interface RegistrationDeps {
  db: DomainDb;
  checker: AvailabilityChecker;
  registrar: Registrar;
  registrants: RegistrantSource;
  producer: JobProducer;
}

/**
 * `register-domain`: buys the founder's chosen domain, once per request, whatever happens on the way.
 *
 * The row (keyed by the request id) is the memory between tries. Before a purchase is sent its `attempts` is
 * counted and committed; so a try that finds `attempts > 0` knows a purchase may have gone through unanswered, and
 * asks the registrar first whether the domain is already the account's. Only when it is not are availability (a
 * fresh check: taken fails for good, no purchase) and the founder's registrant contact read and the purchase sent.
 * Transient errors throw and BullMQ tries again; permanent ones, or the last try's, end the registration `failed`,
 * tell the gateway, and raise `domain_registration_failed` for operators. Running a failed request again (an
 * operator's retry) opens it again.
 */
export class DomainRegistrations {
  constructor(private readonly deps: RegistrationDeps) {}

  async register(p: RegisterPayload, { log, signal, correlationId, lastAttempt }: JobContext) {
    const parsed = parseDomainName(p.domain);
    let row = await this.open(p, parsed.ok ? parsed.domain : p.domain.trim().toLowerCase());
    if (row.status === 'registered') {
      // A repeat of a request that succeeded: its report again, under the same ids.
      await reportRegistered(this.deps.producer, row, correlationId);
      return { outcome: 'registered', orderId: row.orderId };
    }
    try {
      if (!parsed.ok) throw new RegistrationError('invalid_domain', true);
      const registration = await this.attempt(row, signal, correlationId);
      row = await this.update(row, { status: 'registered', orderId: registration.orderId, expiresAt: registration.expiresAt, lastError: null });
      log.info({ registrar: row.provider, attempts: row.attempts }, 'domain registered');
      await reportRegistered(this.deps.producer, row, correlationId);
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
      log.warn({ reason: code, attempts: row.attempts }, 'domain registration failed for good');
      await reportFailed(this.deps.producer, row, correlationId);
      // A taken name is an answer, not a fault: the job completes. Anything else stays among the failed jobs,
      // where an operator can retry it once the cause is fixed.
      if (code === 'domain_taken') return { outcome: 'failed', reason: code };
      throw new UnrecoverableError(`domain registration failed: ${code}`);
    }
  }

  private async attempt(row: RegistrationRow, signal: AbortSignal, correlationId: string): Promise<Registration> {
    const { registrar, checker, registrants } = this.deps;
    if (row.attempts > 0) {
      // A purchase was sent before and its outcome is not known here: never send another blindly.
      const ours = await registrar.lookup(row.domain, signal);
      if (ours) return ours;
    }
    const [answer] = await withDeadline(RECHECK_DEADLINE_MS, signal, (deadline) => checker.check([row.domain], { fresh: true, signal: deadline }));
    if (answer?.available === false) throw new RegistrationError('domain_taken', true);
    const contact = await registrants(row.businessId, signal, correlationId);
    row.attempts = (await this.update(row, { attempts: sql`${domainRegistrations.attempts} + 1` })).attempts;
    return registrar.purchase({ requestId: row.requestId, domain: row.domain, years: row.years, contact }, signal);
  }

  /** The request's row: created on its first run; a failed one opened again (a retry was asked for). */
  private open(p: RegisterPayload, domain: string): Promise<RegistrationRow> {
    return withOwnerRole(this.deps.db, 'domain', async (tx) => {
      await tx
        .insert(domainRegistrations)
        .values({ requestId: p.requestId, businessId: p.userId, domain, years: p.years, provider: this.deps.registrar.name })
        .onConflictDoNothing();
      const [reopened] = await tx
        .update(domainRegistrations)
        .set({ status: 'pending', updatedAt: new Date() })
        .where(and(eq(domainRegistrations.requestId, p.requestId), eq(domainRegistrations.status, 'failed')))
        .returning();
      const row = reopened ?? (await tx.select().from(domainRegistrations).where(eq(domainRegistrations.requestId, p.requestId)))[0];
      if (!row) throw new Error(`registration ${p.requestId} vanished`);
      if (row.businessId !== p.userId || row.domain !== domain) throw new UnrecoverableError('this request id names another founder or domain');
      return row;
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
