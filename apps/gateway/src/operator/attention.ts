import { and, eq } from 'drizzle-orm';
import type { GatewayJobs, JobPayloadOf } from '@dreamseed/contracts';
import { withOwnerRole, type JobContext } from '@dreamseed/platform';
import type { GatewayDb } from '../db/client';
import { founderAttention, profileEvents, users } from '../db/schema';

type AttentionReport = JobPayloadOf<GatewayJobs, 'founder-attention'>;
export type AttentionOutcome = 'applied' | 'stale' | 'duplicate' | 'ignored';

/** The `core.profile_events` kind under which an attention report is recorded (one ledger for every report). */
export const attentionEventKind = (kind: AttentionReport['kind']) => `attention-${kind}`;

/**
 * Applies `founder-attention` reports: one `core.founder_attention` row per founder and kind, raised since the
 * first report that raised it (a repeated "raised" keeps that time: the operator wants to know how long it has
 * waited) until one clears it. As with the profile reports, each event id is recorded once in
 * `core.profile_events` (a redelivery does nothing), a report older than the one the row holds is recorded as
 * stale and changes nothing, and reports for one founder are serialized by a lock on the profile row. A report
 * about a founder who is gone is a no-op rather than a failing job: nobody is left to look after.
 */
export class FounderAttentionReports {
  constructor(private readonly db: GatewayDb) {}

  async apply(report: AttentionReport, { log }: JobContext): Promise<{ outcome: AttentionOutcome }> {
    const occurredAt = new Date(report.occurredAt);
    const outcome = await withOwnerRole(this.db, 'gateway', async (tx): Promise<AttentionOutcome> => {
      const [profile] = await tx.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, report.userId)).for('update');
      if (!profile || profile.deletedAt) return 'ignored';
      const recorded = await tx
        .insert(profileEvents)
        .values({ id: report.eventId, userId: report.userId, kind: attentionEventKind(report.kind), occurredAt, outcome: 'applied' })
        .onConflictDoNothing()
        .returning({ id: profileEvents.id });
      if (!recorded.length) return 'duplicate';

      const key = and(eq(founderAttention.userId, report.userId), eq(founderAttention.kind, report.kind));
      const [row] = await tx.select().from(founderAttention).where(key);
      if (row && occurredAt < row.occurredAt) {
        await tx.update(profileEvents).set({ outcome: 'stale' }).where(eq(profileEvents.id, report.eventId));
        return 'stale';
      }
      const raised = report.state === 'raised';
      const state = {
        state: report.state,
        detail: report.detail ?? null,
        raisedAt: raised ? (row?.state === 'raised' && row.raisedAt ? row.raisedAt : occurredAt) : null,
        occurredAt,
        lastEventId: report.eventId,
        updatedAt: new Date(),
      };
      await tx
        .insert(founderAttention)
        .values({ userId: report.userId, kind: report.kind, ...state })
        .onConflictDoUpdate({ target: [founderAttention.userId, founderAttention.kind], set: state });
      return 'applied';
    });
    log.info({ kind: report.kind, state: report.state, outcome }, 'founder attention report handled');
    return { outcome };
  }
}
