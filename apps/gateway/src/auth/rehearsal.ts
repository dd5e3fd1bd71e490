import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { GatewayTx } from '../db/client';

/**
 * Runs `work` in a savepoint, then keeps it, or undoes it and returns what it produced all the same.
 *
 * Why: sign-up, recovery and resend must not tell a registered address from an unknown one, by their answer or by
 * their time. Where the real path writes (an account, a one-time token, the mail in the outbox), the other path
 * rehearses the same writes for a stand-in and undoes them: the same statements reach Postgres, the commit flushes
 * the WAL either way, and nothing of the stand-in survives. The alternative, answering first and writing after,
 * would give up the rule that a mail is in the outbox (committed) before its request is answered.
 */
export async function keepOrUndo<T>(tx: GatewayTx, keep: boolean, work: () => Promise<T>): Promise<T> {
  // Plain statements rather than a nested drizzle transaction: its undo is an exception, which costs the undoing
  // path time the keeping path does not spend. If `work` fails, the error ends the whole transaction anyway.
  await tx.execute(sql.raw('savepoint keep_or_undo'));
  const result = await work();
  await tx.execute(sql.raw(keep ? 'release savepoint keep_or_undo' : 'rollback to savepoint keep_or_undo'));
  return result;
}

/** An address no one can own (RFC 2606), for a stand-in account that is never committed. */
export const standInAddress = () => `stand-in-${randomUUID()}@example.invalid`;
