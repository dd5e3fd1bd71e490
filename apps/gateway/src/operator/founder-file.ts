import type { Request } from 'express';
import { and, eq } from 'drizzle-orm';
import { INTERNAL_PATHS, type OperatorBillingView, type OperatorCallsView, type OperatorDomainsView, type OperatorDreamDnaView } from '@dreamseed/contracts';
import { AppError, type JobProducer } from '@dreamseed/platform';
import { isBanned } from '../auth/context';
import type { GatewayConfig } from '../config';
import type { GatewayDb } from '../db/client';
import { authUsers, businessFormationData, founderAttention, users } from '../db/schema';
import { publicView } from '../http/dialect';
import { ownerPath, readFromOwner } from '../http/owners';
import { rowView } from '../http/rows';
import { auditPage, auditView } from './audit';
import { failedJobsOfFounders } from './failed-jobs';

/** How many of the newest audit entries about the founder the file shows; the rest are a page of GET /admin/api/audit. */
export const FILE_AUDIT_ENTRIES = 20;

export interface FounderFileDeps {
  db: GatewayDb;
  producer: JobProducer;
  config: Pick<GatewayConfig, 'VOICE_SERVICE_URL' | 'ANALYSIS_SERVICE_URL' | 'DOMAIN_SERVICE_URL' | 'BILLING_SERVICE_URL' | 'INTERNAL_API_SECRET'>;
}

/** A part of the file read from elsewhere (an owner, Redis): what it holds, or that it could not be read now. */
type Section<T> = ({ status: 'ok' } & T) | { status: 'unavailable'; code: string; message: string };

/**
 * One section, however its source fails: an owner that is down, late or answers an error leaves that section
 * `unavailable` and the rest of the file still answers.
 */
async function section<T extends object>(read: () => Promise<T>, req: Request): Promise<Section<T>> {
  try {
    return { status: 'ok', ...(await read()) };
  } catch (error) {
    if (error instanceof AppError) return { status: 'unavailable', code: error.code, message: error.message };
    req.log?.warn({ err: error }, 'a section of a founder file could not be read');
    return { status: 'unavailable', code: 'service_unavailable', message: 'This part of DreamSeed cannot answer right now.' };
  }
}

/** The founder's profile row, deleted or not, or undefined. */
export async function founderProfile(db: GatewayDb, userId: string) {
  const [profile] = await db.select().from(users).where(eq(users.id, userId));
  return profile;
}

/**
 * Everything an operator needs to help one founder, in the API's dialect: the gateway's own rows (profile,
 * formation, account, attention flags, audit entries), the failed jobs that name them, and each owner's part,
 * read with the operator's token (see OPERATOR_READ_LIMIT in the contracts). Never password hashes or tokens.
 */
export async function founderFile(deps: FounderFileDeps, req: Request, profile: typeof users.$inferSelect) {
  const { db, producer, config } = deps;
  const userId = profile.id;
  const owner = { internalSecret: config.INTERNAL_API_SECRET };
  const fromOwner = <T>(base: string, template: string) => readFromOwner<T>(base, ownerPath(template, { userId }), req, owner);

  const [[formation], [account], attention, audit, failedJobs, calls, dreamDna, domains, billing] = await Promise.all([
    db.select().from(businessFormationData).where(eq(businessFormationData.userId, userId)),
    profile.authUserId ? db.select().from(authUsers).where(eq(authUsers.id, profile.authUserId)) : Promise.resolve([]),
    db.select().from(founderAttention).where(and(eq(founderAttention.userId, userId), eq(founderAttention.state, 'raised'))),
    auditPage(db, { limit: FILE_AUDIT_ENTRIES, after: null }, userId),
    section(async () => ({ jobs: (await failedJobsOfFounders(producer, userId)).map(({ userId: _founder, ...job }) => publicView(job)) }), req),
    section(async () => {
      const { calls: ended, planned } = await fromOwner<OperatorCallsView>(config.VOICE_SERVICE_URL, INTERNAL_PATHS.voice.operatorCalls);
      return publicView({ calls: ended, planned });
    }, req),
    section(async () => {
      const { versions, analyses } = await fromOwner<OperatorDreamDnaView>(config.ANALYSIS_SERVICE_URL, INTERNAL_PATHS.analysis.operatorDreamDna);
      return publicView({ versions, analyses });
    }, req),
    section(async () => {
      const { selections, searches } = await fromOwner<OperatorDomainsView>(config.DOMAIN_SERVICE_URL, INTERNAL_PATHS.domain.operatorDomains);
      return publicView({ selections, searches });
    }, req),
    section(async () => {
      const { payments, subscription } = await fromOwner<OperatorBillingView>(config.BILLING_SERVICE_URL, INTERNAL_PATHS.billing.operatorBilling);
      return publicView({ payments, subscription });
    }, req),
  ]);

  const iso = (time: Date | null) => time?.toISOString() ?? null;
  return {
    user_id: userId,
    profile: rowView(users, profile),
    formation: formation ? rowView(businessFormationData, formation) : null,
    account: account
      ? {
          id: account.id,
          email: account.email,
          phone: account.phone,
          email_confirmed: account.emailConfirmedAt !== null,
          email_confirmed_at: iso(account.emailConfirmedAt),
          last_sign_in_at: iso(account.lastSignInAt),
          banned: isBanned(account),
          banned_until: iso(account.bannedUntil),
          created_at: account.createdAt.toISOString(),
          deleted_at: iso(account.deletedAt),
        }
      : null,
    attention: attention.map((flag) => ({ kind: flag.kind, detail: flag.detail, raised_at: iso(flag.raisedAt), occurred_at: flag.occurredAt.toISOString() })),
    failed_jobs: failedJobs,
    calls,
    dream_dna: dreamDna,
    domains,
    billing,
    audit: audit.items.map(auditView),
  };
}
