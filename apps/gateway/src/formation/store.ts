import { and, desc, eq, sql } from 'drizzle-orm';
import type { FormationCaseState, FormationDomainStatus } from '@dreamseed/contracts';
import type { FounderEventPublisher, JobProducer } from '@dreamseed/platform';
import type { Logger } from 'pino';
import { dispatchMail } from '../auth/mail-outbox';
import type { GatewayConfig } from '../config';
import type { GatewayDb, GatewayTx } from '../db/client';
import { businessFormationData, formationCaseEvents, formationCases, registrationConsents, users } from '../db/schema';
import type { FormationFollow } from './machine';

/**
 * What the formation case's code shares: its dependencies, its rows, the writes every change makes (an event, the
 * formation data and profile that follow), and what must wait for the commit (`Aftermath`).
 */

export interface FormationDeps {
  db: GatewayDb;
  producer: JobProducer;
  events: Pick<FounderEventPublisher, 'publish'>;
  logger: Logger;
  config: Pick<GatewayConfig, 'PUBLIC_URL' | 'AUTH_SITE_URL'>;
}

export type CaseRow = typeof formationCases.$inferSelect;
export type CaseEventRow = typeof formationCaseEvents.$inferSelect;

/** Who made a change, as the case's events record it. */
export interface CaseActor {
  type: 'operator' | 'founder' | 'system';
  /** The operator's or founder's auth user id. */
  id?: string | null;
  /** An operator's address, as it was. */
  email?: string | null;
}

export const SYSTEM: CaseActor = { type: 'system' };

/** The case's state, which the table's check holds to the machine's states. */
export const stateOf = (row: Pick<CaseRow, 'state'>) => row.state as FormationCaseState;

/** The founder's case, locked for this transaction: changes to one case happen one at a time. */
export async function lockCaseOf(tx: GatewayTx, by: { userId: string } | { caseId: string }): Promise<CaseRow | undefined> {
  const where = 'userId' in by ? eq(formationCases.userId, by.userId) : eq(formationCases.id, by.caseId);
  const [row] = await tx.select().from(formationCases).where(where).for('update');
  return row;
}

/** Changes the case and counts the change (`version`), answering the case as it now is. */
export async function updateCase(tx: GatewayTx, current: CaseRow, changes: Partial<typeof formationCases.$inferInsert>): Promise<CaseRow> {
  const entering = changes.state !== undefined && changes.state !== current.state;
  const [row] = await tx
    .update(formationCases)
    .set({ ...changes, ...(entering ? { stateEnteredAt: new Date() } : {}), updatedAt: new Date(), version: sql`${formationCases.version} + 1` })
    .where(eq(formationCases.id, current.id))
    .returning();
  if (!row) throw new Error('the locked case is gone');
  return row;
}

export async function recordEvent(
  tx: GatewayTx,
  row: Pick<CaseRow, 'id'>,
  event: { kind: 'opened' | 'moved' | 'package' | 'documents' | 'domain'; from: FormationCaseState | null; to: FormationCaseState; actor: CaseActor; evidence?: Record<string, unknown>; reason?: string | null },
): Promise<void> {
  await tx.insert(formationCaseEvents).values({
    caseId: row.id,
    kind: event.kind,
    fromState: event.from,
    toState: event.to,
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    actorEmail: event.actor.email ?? null,
    evidence: event.evidence ?? {},
    reason: event.reason ?? null,
  });
}

/** The founder's latest agreement to the registration agreements of the domain (formation/consent.ts), in the caller's transaction. */
export async function consentIn(tx: GatewayTx, userId: string, domain: string): Promise<typeof registrationConsents.$inferSelect | undefined> {
  const [row] = await tx
    .select()
    .from(registrationConsents)
    .where(and(eq(registrationConsents.userId, userId), eq(registrationConsents.domain, domain)))
    .orderBy(desc(registrationConsents.agreedAt))
    .limit(1);
  return row;
}

/** The founder's formation data follows the case (created if the founder never saved any). */
export async function followFormation(tx: GatewayTx, userId: string, follow: FormationFollow): Promise<void> {
  const set = Object.fromEntries(Object.entries(follow).filter(([, value]) => value !== undefined)) as FormationFollow;
  if (!Object.keys(set).length) return;
  await tx
    .insert(businessFormationData)
    .values({ userId, ...set })
    .onConflictDoUpdate({ target: businessFormationData.userId, set: { ...set, updatedAt: new Date() } });
}

/** The profile is `formed` once the case is; an archived profile stays archived. */
export async function markFormed(tx: GatewayTx, userId: string): Promise<void> {
  await tx
    .update(users)
    .set({ status: 'formed', updatedAt: new Date() })
    .where(sql`${users.id} = ${userId} and ${users.status} <> 'archived'`);
}

type FormationChange = 'opened' | 'moved' | 'package' | 'documents' | 'domain';

/**
 * What a committed change still has to do outside Postgres: tell the founder's app, hand mails to the queue, ask
 * the domain service for a registration. Each is safe to repeat (mails by their id, registrations by their request
 * id), and none is lost if this process stops first: mails wait in the outbox for its relay, and a registration
 * still pending is asked again when the payment's report is delivered again.
 */
export class Aftermath {
  private readonly changes: { userId: string; caseId: string; change: FormationChange }[] = [];
  private readonly mails: string[] = [];
  private readonly registrations: { userId: string; domain: string; requestId: string }[] = [];

  changed(row: Pick<CaseRow, 'userId' | 'id'>, change: FormationChange): this {
    this.changes.push({ userId: row.userId, caseId: row.id, change });
    return this;
  }

  mail(mailId: string | undefined): this {
    if (mailId) this.mails.push(mailId);
    return this;
  }

  register(request: { userId: string; domain: string; requestId: string }): this {
    this.registrations.push(request);
    return this;
  }

  isEmpty(): boolean {
    return !this.changes.length && !this.mails.length && !this.registrations.length;
  }

  /** Runs it all, after the commit. A registration that cannot be queued throws, so that the job carrying it retries. */
  async run(deps: FormationDeps, correlationId?: string): Promise<void> {
    for (const mailId of this.mails) await dispatchMail(deps, mailId, correlationId);
    for (const { userId, domain, requestId } of this.registrations) {
      await deps.producer.enqueue('domain', 'register-domain', { v: 1, userId, domain, requestId, years: 1 }, { jobId: `register-${requestId}`, correlationId });
    }
    for (const { userId, caseId, change } of this.changes) {
      // The event carries the case as it stands after every change of this transaction.
      const [row] = await deps.db.select().from(formationCases).where(eq(formationCases.id, caseId));
      if (!row) continue;
      await deps.events.publish(userId, 'formation.changed', {
        case_id: caseId,
        change,
        state: row.state as FormationCaseState,
        domain_status: row.domainStatus as FormationDomainStatus | null,
        occurred_at: row.updatedAt.toISOString(),
      });
    }
  }
}
