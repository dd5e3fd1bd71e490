import { sql, type SQL } from 'drizzle-orm';

/** What the functions below need of a transaction: drizzle's `execute`. */
interface Executor {
  execute(query: SQL): Promise<unknown>;
}

/**
 * The erasure of a founder and any work on the founder in one owner take one lock: the erasure alone
 * (`markFounderErased`), work shared (`founderErased`), so work that started first is erased with the rest and
 * work that starts after sees the mark. Transaction-scoped, so it holds through a transaction pooler. This is the
 * lock's key for a founder id given as SQL (a parameter, or a column for a batch that locks many founders in one
 * statement), in the id's canonical text so that one founder is one key however the id was written.
 */
export const erasureLockKey = (owner: string, userId: SQL) => sql`hashtext(${`erasure:${owner}`}), hashtext(lower(${userId}::text))`;

const erasureLock = (owner: string, userId: string, mode: 'exclusive' | 'shared') =>
  mode === 'exclusive'
    ? sql`select pg_advisory_xact_lock(${erasureLockKey(owner, sql`${userId}`)})`
    : sql`select pg_advisory_xact_lock_shared(${erasureLockKey(owner, sql`${userId}`)})`;

/**
 * In the transaction that is about to write a founder's rows (before it writes): waits for an erasure of the
 * founder in progress, then says whether the founder was erased, in which case nothing may be written. The lock
 * is taken before the mark is read, in a statement of its own, so the read sees an erasure that just committed.
 */
export async function founderErased(tx: Executor, owner: string, userId: string): Promise<boolean> {
  await tx.execute(erasureLock(owner, userId, 'shared'));
  const result = (await tx.execute(sql`select 1 from ${sql.identifier(owner)}.erased_founders where user_id = ${userId}`)) as { rows: unknown[] };
  return result.rows.length > 0;
}

/**
 * First in the erasure's transaction: waits for work on the founder that is writing, then marks the founder
 * erased for good (idempotently), so that the rows deleted after it in the same transaction stay deleted.
 */
export async function markFounderErased(tx: Executor, owner: string, userId: string): Promise<void> {
  await tx.execute(erasureLock(owner, userId, 'exclusive'));
  await tx.execute(sql`insert into ${sql.identifier(owner)}.erased_founders (user_id) values (${userId}) on conflict (user_id) do nothing`);
}
