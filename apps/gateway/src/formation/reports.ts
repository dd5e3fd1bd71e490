import { and, eq, sql } from 'drizzle-orm';
import type { GatewayJobs, JobPayloadOf } from '@dreamseed/contracts';
import { uuidFrom, withOwnerRole, type JobContext } from '@dreamseed/platform';
import type { GatewayTx } from '../db/client';
import { domainChoices, formationCases, profileEvents, users } from '../db/schema';
import { registrantFrom, registrantRowOf } from '../http/registrant';
import { intakeQuestion, missingIntake } from './intake';
import { followOf, mailFor, openingState } from './machine';
import { queueFormationMail } from './mail';
import { intakeIn } from './moves';
import { Aftermath, consentIn, followFormation, lockCaseOf, recordEvent, stateOf, SYSTEM, updateCase, type CaseRow, type FormationDeps } from './store';

type Payload<N extends keyof GatewayJobs & string> = JobPayloadOf<GatewayJobs, N>;
type Outcome = 'applied' | 'duplicate' | 'stale' | 'ignored';

/**
 * The reports other owners send about the formation case, on the `gateway` queue: billing's `formation-package-paid`
 * opens the case (or changes its package), the domain service's `profile-domain-selected` and
 * `profile-domain-registered` ask for and record the domain's registration. Each report applies once (its event id,
 * in `core.profile_events`, as the profile's reports do), with the founder's profile row locked so that reports
 * about one founder apply one at a time.
 */
export class FormationReports {
  constructor(private readonly deps: FormationDeps) {}

  async packagePaid(p: Payload<'formation-package-paid'>, { log, correlationId }: JobContext): Promise<{ outcome: Outcome }> {
    const aftermath = new Aftermath();
    const outcome = await this.once(p, 'formation-package-paid', async (tx) => {
      const existing = await lockCaseOf(tx, { userId: p.userId });
      const row = existing ? await this.changePackage(tx, existing, p, aftermath) : await this.open(tx, p, aftermath);
      await this.askRegistration(tx, row, aftermath);
      return 'applied';
    });
    // A report delivered again (its first delivery may have stopped before the domain service was asked) asks again:
    // the request id is the case's, so the domain service registers once whatever it is asked.
    if (outcome === 'duplicate') await this.askPendingAgain(p.userId, aftermath);
    log.info({ outcome }, 'formation package report handled');
    await aftermath.run(this.deps, correlationId);
    return { outcome };
  }

  /** The founder chose a domain: kept for a package paid later, and asked for now if the paid package waits for it. */
  async domainChosen(p: Payload<'profile-domain-selected'>, { correlationId }: JobContext): Promise<void> {
    const aftermath = new Aftermath();
    await withOwnerRole(this.deps.db, 'gateway', async (tx) => {
      const [profile] = await tx.select({ id: users.id, deletedAt: users.deletedAt }).from(users).where(eq(users.id, p.userId)).for('update');
      // A deleted founder's choice would be their data kept after the deletion, and would ask for a registration.
      if (!profile || profile.deletedAt) return;
      const occurredAt = new Date(p.occurredAt);
      await tx
        .insert(domainChoices)
        .values({ userId: p.userId, domain: p.domain, occurredAt })
        .onConflictDoUpdate({ target: domainChoices.userId, set: { domain: p.domain, occurredAt, updatedAt: new Date() }, setWhere: sql`${domainChoices.occurredAt} <= ${occurredAt}` });
      const row = await lockCaseOf(tx, { userId: p.userId });
      if (row) await this.askRegistration(tx, row, aftermath);
    });
    // As for a payment delivered again: a request asked on an earlier try that did not reach the queue is asked again.
    if (aftermath.isEmpty()) await this.askPendingAgain(p.userId, aftermath);
    await aftermath.run(this.deps, correlationId);
  }

  async domainRegistered(p: Payload<'profile-domain-registered'>, { log, correlationId }: JobContext): Promise<{ outcome: Outcome }> {
    const aftermath = new Aftermath();
    const occurredAt = new Date(p.occurredAt);
    const outcome = await this.once(p, 'domain-registered', async (tx) => {
      const row = await lockCaseOf(tx, { userId: p.userId });
      // A report about a domain this case did not ask for changes nothing on it.
      if (!row || row.domain !== p.domain) return 'ignored';
      if (row.domainReportedAt && row.domainReportedAt > occurredAt) return 'stale';
      await updateCase(tx, row, {
        domainStatus: p.status,
        domainExpiresAt: p.expiresAt ? new Date(p.expiresAt) : null,
        domainOrderId: p.orderId ?? null,
        domainReason: p.status === 'failed' ? (p.reason ?? null) : null,
        domainReportedAt: occurredAt,
      });
      await recordEvent(tx, row, {
        kind: 'domain',
        from: stateOf(row),
        to: stateOf(row),
        actor: SYSTEM,
        evidence: { domain: p.domain, domain_status: p.status, ...(p.expiresAt ? { expires_at: p.expiresAt } : {}) },
      });
      aftermath.changed(row, 'domain');
      return 'applied';
    });
    log.info({ outcome }, 'domain registration report handled');
    await aftermath.run(this.deps, correlationId);
    return { outcome };
  }

  /** A new case: ready for documents when the intake is complete, else waiting for the founder with the list. */
  private async open(tx: GatewayTx, p: Payload<'formation-package-paid'>, aftermath: Aftermath): Promise<CaseRow> {
    const draft = await intakeIn(tx, p.userId);
    const missing = missingIntake(draft);
    const state = openingState(missing);
    const waiting = state === 'needs_founder';
    const [row] = await tx
      .insert(formationCases)
      .values({
        userId: p.userId,
        paymentId: p.paymentId,
        packageId: p.packageId,
        includesDomain: p.includesDomain,
        state,
        entityType: draft.entityType,
        stateOfFormation: draft.stateOfFormation,
        ...(waiting ? { question: intakeQuestion(missing), questionBy: 'system', questionAskedAt: new Date(), stateBeforeQuestion: 'intake_complete' } : {}),
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await recordEvent(tx, row, {
      kind: 'opened',
      from: null,
      to: state,
      actor: SYSTEM,
      evidence: { package_id: p.packageId, includes_domain: p.includesDomain, ...(waiting ? { question: row.question, missing: missing.map((item) => item.field) } : {}) },
    });
    await followFormation(tx, p.userId, followOf(null, state, {}).formation);
    const mail = mailFor(null, state);
    if (mail) aftermath.mail(await queueFormationMail(tx, this.deps.config, p.userId, mail, { question: row.question }));
    aftermath.changed(row, 'opened');
    return row;
  }

  /** A later formation payment (an upgrade) changes the package of the case there is; the same payment changes nothing. */
  private async changePackage(tx: GatewayTx, row: CaseRow, p: Payload<'formation-package-paid'>, aftermath: Aftermath): Promise<CaseRow> {
    if (row.paymentId === p.paymentId || (row.packageId === p.packageId && (row.includesDomain || !p.includesDomain))) return row;
    const changed = await updateCase(tx, row, { packageId: p.packageId, includesDomain: row.includesDomain || p.includesDomain });
    await recordEvent(tx, row, {
      kind: 'package',
      from: stateOf(row),
      to: stateOf(row),
      actor: SYSTEM,
      evidence: { package_id: p.packageId, previous_package_id: row.packageId, includes_domain: changed.includesDomain },
    });
    aftermath.changed(row, 'package');
    return changed;
  }

  /**
   * The founder did something a registration may wait for (saved the formation details, confirmed a phone number,
   * agreed to the registrar's agreements): a registration waiting for their contact or agreement is asked now if
   * nothing else is missing.
   */
  async registrantMaybeReady(userId: string, correlationId?: string): Promise<void> {
    const aftermath = new Aftermath();
    await withOwnerRole(this.deps.db, 'gateway', async (tx) => {
      const row = await lockCaseOf(tx, { userId });
      if (row?.domainStatus === 'awaiting_contact' || row?.domainStatus === 'awaiting_consent') await this.askRegistration(tx, row, aftermath);
    });
    await aftermath.run(this.deps, correlationId);
  }

  /** The founder confirmed a phone number, which a registrant needs: the same as after a save of the intake. */
  async phoneConfirmed(authUserId: string, correlationId?: string): Promise<void> {
    const [profile] = await this.deps.db.select({ id: users.id }).from(users).where(eq(users.authUserId, authUserId));
    if (profile) await this.registrantMaybeReady(profile.id, correlationId);
  }

  /** Asks the domain service once per case for the chosen domain, when the package includes one and the founder can be its registrant. */
  private async askRegistration(tx: GatewayTx, row: CaseRow, aftermath: Aftermath): Promise<void> {
    if (!row.includesDomain || row.domainRequestId) return;
    const [choice] = await tx.select().from(domainChoices).where(eq(domainChoices.userId, row.userId));
    if (!choice) {
      if (row.domainStatus !== 'awaiting_selection') await updateCase(tx, row, { domainStatus: 'awaiting_selection' });
      return;
    }
    // A registrar refuses an incomplete contact for good: wait for it (the founder's next save of the intake asks again).
    if ('missing' in (await registrantIn(tx, row.userId))) {
      if (row.domainStatus !== 'awaiting_contact' || row.domain !== choice.domain) await updateCase(tx, row, { domain: choice.domain, domainStatus: 'awaiting_contact' });
      return;
    }
    // The registrar records the registrant's own agreement to its terms: the founder gives it on their page.
    if (!(await consentIn(tx, row.userId, choice.domain))) {
      if (row.domainStatus === 'awaiting_consent' && row.domain === choice.domain) return;
      const waiting = await updateCase(tx, row, { domain: choice.domain, domainStatus: 'awaiting_consent' });
      aftermath.changed(waiting, 'domain').mail(await queueFormationMail(tx, this.deps.config, row.userId, 'domain_consent', { domain: choice.domain }));
      return;
    }
    const requestId = uuidFrom('register-domain', row.id);
    const asked = await updateCase(tx, row, { domain: choice.domain, domainStatus: 'pending', domainRequestId: requestId });
    await recordEvent(tx, row, { kind: 'domain', from: stateOf(row), to: stateOf(row), actor: SYSTEM, evidence: { domain: choice.domain, domain_status: 'pending' } });
    aftermath.register({ userId: row.userId, domain: choice.domain, requestId }).changed(asked, 'domain');
  }

  private async askPendingAgain(userId: string, aftermath: Aftermath): Promise<void> {
    const [row] = await this.deps.db.select().from(formationCases).where(and(eq(formationCases.userId, userId), eq(formationCases.domainStatus, 'pending')));
    if (row?.domain && row.domainRequestId) aftermath.register({ userId, domain: row.domain, requestId: row.domainRequestId });
  }

  /** Applies a report once: recorded by its event id with the profile locked; a duplicate does nothing. */
  private async once(
    event: { userId: string; eventId: string; occurredAt: string },
    kind: string,
    apply: (tx: GatewayTx) => Promise<Exclude<Outcome, 'duplicate'>>,
  ): Promise<Outcome> {
    return withOwnerRole(this.deps.db, 'gateway', async (tx) => {
      const [profile] = await tx.select({ id: users.id, deletedAt: users.deletedAt }).from(users).where(eq(users.id, event.userId)).for('update');
      // A report about a founder who is gone (or never was) has nothing left to change.
      if (!profile || profile.deletedAt) return 'ignored';
      const recorded = await tx
        .insert(profileEvents)
        .values({ id: event.eventId, userId: event.userId, kind, occurredAt: new Date(event.occurredAt), outcome: 'applied' })
        .onConflictDoNothing()
        .returning({ id: profileEvents.id });
      if (!recorded.length) return 'duplicate';
      const outcome = await apply(tx);
      if (outcome !== 'applied') await tx.update(profileEvents).set({ outcome }).where(eq(profileEvents.id, event.eventId));
      return outcome;
    });
  }
}

/** The founder as a registrant, or what is missing (the same rule the domain service's contact read applies). */
async function registrantIn(tx: GatewayTx, userId: string) {
  const found = await registrantRowOf(tx, userId);
  return found ? registrantFrom(found.row) : { missing: ['founder'] };
}
