import { and, eq, gt, ne } from 'drizzle-orm';
import type { GatewayJobs, JobPayloadOf, ProfileStatus, SubscriptionType } from '@dreamseed/contracts';
import { withOwnerRole, type FounderEventPublisher, type JobContext } from '@dreamseed/platform';
import type { GatewayDb, GatewayTx } from '../db/client';
import { profileEvents, users } from '../db/schema';

type Payload<N extends keyof GatewayJobs & string> = JobPayloadOf<GatewayJobs, N>;
type ProfileChanges = Partial<typeof users.$inferInsert>;
type Profile = typeof users.$inferSelect;
/** Tells the founder's app of a report once it is applied and committed, from the profile as it now stands. */
type Announce = (profile: Profile) => Promise<unknown>;

/** The journey's order: a report moves the status forward, never back (archiving is explicit). */
const STATUS_RANK: Record<ProfileStatus, number> = {
  registered: 0,
  in_consultation: 1,
  analysis_ready: 2,
  domain_selected: 3,
  paid: 4,
  formed: 5,
  archived: 6,
};

const advanceStatus = (current: string, next: ProfileStatus) =>
  (STATUS_RANK[current as ProfileStatus] ?? 0) < STATUS_RANK[next] && current !== 'archived' ? { status: next } : {};

const CALL_COLUMNS = {
  1: { done: 'call1Completed', at: 'call1CompletedAt' },
  2: { done: 'call2Completed', at: 'call2CompletedAt' },
  3: { done: 'call3Completed', at: 'call3CompletedAt' },
  4: { done: 'call4Completed', at: 'call4CompletedAt' },
} as const;

/**
 * Applies other owners' reports to the founder's profile. Each report is recorded once by its event id (a
 * duplicate does nothing); one older than a report of the same kind already applied is recorded as stale and
 * changes nothing. Reports for one founder are serialized by a lock on the profile row. A report applied is
 * pushed to the founder's app (`events`) after the commit, so a retried or duplicate report pushes nothing more.
 */
export class ProfileUpdates {
  constructor(
    private readonly db: GatewayDb,
    private readonly events: Pick<FounderEventPublisher, 'publish'>,
  ) {}

  callCompleted(p: Payload<'profile-call-completed'>, context: JobContext) {
    const announce = () => this.events.publish(p.userId, 'call.completed', { call_stage: p.callStage, occurred_at: p.occurredAt });
    return this.apply(p, `call-${p.callStage}`, context, announce, (profile) => {
      const columns = CALL_COLUMNS[p.callStage as 1 | 2 | 3 | 4];
      return {
        [columns.done]: true,
        // The first report of the call decides when it was completed.
        [columns.at]: profile[columns.at] ?? new Date(p.occurredAt),
        currentCallStage: Math.max(profile.currentCallStage, p.callStage + 1),
        ...advanceStatus(profile.status, 'in_consultation'),
      };
    });
  }

  nextCallScheduled(p: Payload<'profile-next-call-scheduled'>, context: JobContext) {
    return this.apply(p, 'next-call', context, undefined, () => ({ nextCallScheduled: p.scheduledAt ? new Date(p.scheduledAt) : null }));
  }

  businessFacts(p: Payload<'profile-business-facts'>, context: JobContext) {
    const { facts } = p;
    return this.apply(p, 'business-facts', context, undefined, () => ({
      businessName: facts.businessName,
      businessType: facts.businessType,
      entityType: facts.entityType,
      stateOfOperation: facts.stateOfOperation,
      urgencyLevel: facts.urgencyLevel,
      timeline: facts.timeline,
      packagePreference: facts.packagePreference,
    }));
  }

  analysisReady(p: Payload<'profile-analysis-ready'>, context: JobContext) {
    const announce = () => this.events.publish(p.userId, 'analysis.ready', { dream_dna_version: p.dreamDnaVersion, occurred_at: p.occurredAt });
    return this.apply(p, 'analysis-ready', context, announce, (profile) => advanceStatus(profile.status, 'analysis_ready'));
  }

  domainSelected(p: Payload<'profile-domain-selected'>, context: JobContext) {
    const announce = () => this.events.publish(p.userId, 'domain.selected', { domain: p.domain, occurred_at: p.occurredAt });
    return this.apply(p, 'domain-selected', context, announce, (profile) => advanceStatus(profile.status, 'domain_selected'));
  }

  paymentUpdated(p: Payload<'profile-payment-updated'>, context: JobContext) {
    const announce: Announce = (profile) =>
      this.events.publish(p.userId, 'payment.updated', {
        payment_status: p.paymentStatus,
        amount_paid: profile.amountPaid,
        currency: profile.currency,
        subscription_type: profile.subscriptionType as SubscriptionType | null,
        occurred_at: p.occurredAt,
      });
    return this.apply(p, 'payment', context, announce, (profile) => ({
      paymentStatus: p.paymentStatus,
      subscriptionType: p.subscriptionType,
      amountPaid: p.amountPaid,
      currency: p.currency,
      paymentDate: p.paymentDate === undefined ? undefined : p.paymentDate ? new Date(p.paymentDate) : null,
      subscriptionExpiresAt:
        p.subscriptionExpiresAt === undefined ? undefined : p.subscriptionExpiresAt ? new Date(p.subscriptionExpiresAt) : null,
      ...(p.paymentStatus === 'paid' ? advanceStatus(profile.status, 'paid') : {}),
    }));
  }

  statusChanged(p: Payload<'profile-status-changed'>, context: JobContext) {
    return this.apply(p, 'status', context, undefined, () => ({ status: p.status }));
  }

  private async apply(
    event: { userId: string; eventId: string; occurredAt: string },
    kind: string,
    { log }: JobContext,
    announce: Announce | undefined,
    changes: (profile: Profile) => ProfileChanges,
  ): Promise<{ outcome: 'applied' | 'stale' | 'duplicate' | 'ignored' }> {
    const occurredAt = new Date(event.occurredAt);
    const { outcome, updated } = await withOwnerRole(this.db, 'gateway', async (tx) => {
      const [profile] = await tx.select().from(users).where(eq(users.id, event.userId)).for('update');
      // A report about a founder who is gone (or never was) has nothing left to change.
      if (!profile || profile.deletedAt) return { outcome: 'ignored' as const };
      const recorded = await tx
        .insert(profileEvents)
        .values({ id: event.eventId, userId: event.userId, kind, occurredAt, outcome: 'applied' })
        .onConflictDoNothing()
        .returning({ id: profileEvents.id });
      if (!recorded.length) return { outcome: 'duplicate' as const };
      if (await this.newerApplied(tx, event, kind, occurredAt)) {
        await tx.update(profileEvents).set({ outcome: 'stale' }).where(eq(profileEvents.id, event.eventId));
        return { outcome: 'stale' as const };
      }
      const set = Object.fromEntries(Object.entries(changes(profile)).filter(([, value]) => value !== undefined));
      const [row] = await tx.update(users).set({ ...set, updatedAt: new Date() }).where(eq(users.id, event.userId)).returning();
      return { outcome: 'applied' as const, updated: row };
    });
    log.info({ kind, outcome }, 'profile report handled');
    // After the commit: a publish that fails is logged by the publisher and the report stays applied.
    if (announce && updated) await announce(updated);
    return { outcome };
  }

  private async newerApplied(tx: GatewayTx, event: { userId: string; eventId: string }, kind: string, occurredAt: Date) {
    const [newer] = await tx
      .select({ id: profileEvents.id })
      .from(profileEvents)
      .where(
        and(
          eq(profileEvents.userId, event.userId),
          eq(profileEvents.kind, kind),
          eq(profileEvents.outcome, 'applied'),
          gt(profileEvents.occurredAt, occurredAt),
          ne(profileEvents.id, event.eventId),
        ),
      )
      .limit(1);
    return Boolean(newer);
  }
}
