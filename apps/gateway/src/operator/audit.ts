import { and, desc, eq, type SQL } from 'drizzle-orm';
import { AppError, afterRow, pageOf, type Page, type PageRequest } from '@dreamseed/platform';
import type { GatewayDb, GatewayTx } from '../db/client';
import { operatorAudit } from '../db/schema';

/**
 * The operators' audit log (`core.operator_audit`): who read or did what about which founder, why, and what came
 * of it. Every read of a founder's file or transcript and every action leaves a row, refused and failed ones too.
 */

/** What came of an entry: a read `done`, a command `accepted` onto its owner's queue, `refused` by a check, or `failed`. */
export type AuditOutcome = 'done' | 'accepted' | 'refused' | 'failed';

/** Who acted: an operator, or a machine with the admin's Basic credentials (`BASIC_AUTH_ACTOR`). */
export interface AuditActor {
  id: string;
  email: string | null;
}

/**
 * The actor of an entry made with the admin's Basic credentials (ADMIN_USER/ADMIN_PASSWORD): no person, so the
 * nil UUID, which no auth user has.
 */
export const BASIC_AUTH_ACTOR: AuditActor = { id: '00000000-0000-0000-0000-000000000000', email: null };

export interface AuditEntryInput {
  actor: AuditActor;
  action: string;
  userId?: string | null;
  target?: string | null;
  reason?: string | null;
  params?: Record<string, unknown>;
  outcome: AuditOutcome;
  code?: string | null;
  idempotencyKey?: string | null;
}

export type AuditRow = typeof operatorAudit.$inferSelect;

const MAX_TEXT = 500;

/** What came of something that threw: refused (the caller's to fix or wait out) or failed (the platform's), with its code. */
export function outcomeOf(error: unknown): { outcome: 'refused' | 'failed'; code: string } {
  const known = error instanceof AppError;
  return { outcome: known && error.status < 500 ? 'refused' : 'failed', code: known ? error.code : 'internal_error' };
}

/** Writes one entry and gives its id. */
export async function recordAudit(db: GatewayDb | GatewayTx, entry: AuditEntryInput): Promise<string> {
  const [row] = await db.insert(operatorAudit).values(auditValues(entry)).returning({ id: operatorAudit.id });
  if (!row) throw new Error('audit insert returned nothing');
  return row.id;
}

/** One `read_file` entry per operator, founder and this long: an open file re-reads itself while an action runs. */
export const FILE_READ_WINDOW_MS = 10 * 60_000;

/**
 * Records that an operator opened a founder's file, once per `FILE_READ_WINDOW_MS`: the page polls the file while
 * an action is under way, and a row per poll would bury the entries that matter. The window's start is the
 * entry's idempotency key, so two replicas answering the same operator at once still write one.
 */
export async function recordFileRead(db: GatewayDb, actor: AuditActor, userId: string): Promise<void> {
  const window = Math.floor(Date.now() / FILE_READ_WINDOW_MS) * FILE_READ_WINDOW_MS;
  const entry = auditValues({ actor, action: 'read_file', userId, outcome: 'done', idempotencyKey: `${userId}:${new Date(window).toISOString()}` });
  await db.insert(operatorAudit).values(entry).onConflictDoNothing();
}

/**
 * Claims an idempotency key with a new entry, or gives the entry that holds it already. The unique index on
 * (operator, action, key) decides: an insert racing one in a transaction not yet committed waits for it, so two
 * requests with one key never both act.
 */
export async function claimAudit(tx: GatewayTx, entry: AuditEntryInput): Promise<{ claimed: true; id: string } | { claimed: false; existing: AuditRow }> {
  const [row] = await tx.insert(operatorAudit).values(auditValues(entry)).onConflictDoNothing().returning({ id: operatorAudit.id });
  if (row) return { claimed: true, id: row.id };
  const existing = await acceptedWithKey(tx, { actor: entry.actor, action: entry.action }, entry.idempotencyKey ?? '');
  if (!existing) throw new Error('idempotency key conflict without its entry');
  return { claimed: false, existing };
}

/** The entry that holds an idempotency key: only accepted ones do (see `settleAudit`). */
export async function acceptedWithKey(db: GatewayDb | GatewayTx, entry: Pick<AuditEntryInput, 'actor' | 'action'>, key: string): Promise<AuditRow | undefined> {
  const [existing] = await db
    .select()
    .from(operatorAudit)
    .where(and(eq(operatorAudit.operatorId, entry.actor.id), eq(operatorAudit.action, entry.action), eq(operatorAudit.idempotencyKey, key)));
  return existing;
}

/**
 * Records what came of an entry written before its outcome was known (a transcript read, an action). A refused or
 * failed action lets go of its idempotency key: it changed nothing, so the same key may try again.
 */
export async function settleAudit(
  db: GatewayDb | GatewayTx,
  id: string,
  outcome: AuditOutcome,
  more: { code?: string | null; params?: Record<string, unknown> } = {},
): Promise<void> {
  await db
    .update(operatorAudit)
    .set({
      outcome,
      code: more.code ?? null,
      ...(more.params ? { params: more.params } : {}),
      ...(outcome === 'refused' || outcome === 'failed' ? { idempotencyKey: null } : {}),
    })
    .where(eq(operatorAudit.id, id));
}

/** A page of the log, newest first; one founder's entries when `userId` is given. */
export async function auditPage(db: GatewayDb, page: PageRequest, userId?: string): Promise<Page<AuditRow>> {
  const filter: SQL | undefined = userId ? eq(operatorAudit.userId, userId) : undefined;
  const rows = await db
    .select()
    .from(operatorAudit)
    .where(and(filter, afterRow(operatorAudit, operatorAudit.createdAt, operatorAudit.id, page)))
    .orderBy(desc(operatorAudit.createdAt), desc(operatorAudit.id))
    .limit(page.limit + 1);
  return pageOf(rows, page, (row) => row.id);
}

/** An entry as the operators' API shows it (the client's idempotency key stays inside). */
export function auditView(row: AuditRow) {
  return {
    id: row.id,
    operator_id: row.operatorId,
    operator_email: row.operatorEmail,
    action: row.action,
    user_id: row.userId,
    target: row.target,
    reason: row.reason,
    params: (row.params ?? {}) as Record<string, unknown>,
    outcome: row.outcome as AuditOutcome,
    code: row.code,
    created_at: row.createdAt.toISOString(),
  };
}

function auditValues(entry: AuditEntryInput): typeof operatorAudit.$inferInsert {
  return {
    operatorId: entry.actor.id,
    operatorEmail: entry.actor.email,
    action: entry.action,
    userId: entry.userId ?? null,
    target: entry.target?.slice(0, MAX_TEXT) ?? null,
    reason: entry.reason?.slice(0, MAX_TEXT) ?? null,
    params: entry.params ?? {},
    outcome: entry.outcome,
    code: entry.code ?? null,
    idempotencyKey: entry.idempotencyKey ?? null,
  };
}
