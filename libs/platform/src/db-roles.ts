import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { ownerRoleName } from './schema-helpers';

/** Who a request acts for: the founder's profile id (`core.users.id`) and the verified JWT claims. */
export interface Founder {
  id: string;
  claims: { sub: string } & Record<string, unknown>;
}

type Transaction<S extends Record<string, unknown>> = Parameters<Parameters<NodePgDatabase<S>['transaction']>[0]>[0];

/** A transaction in which the connection acts as `role`, with these settings, for that transaction only. */
async function withRole<S extends Record<string, unknown>, T>(
  db: NodePgDatabase<S>,
  role: string,
  settings: Record<string, string>,
  fn: (tx: Transaction<S>) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    // One round trip: set_config('role', …, true) is SET LOCAL ROLE.
    const assignments = Object.entries({ role, ...settings }).map(([name, value]) => sql`set_config(${name}, ${value}, true)`);
    await tx.execute(sql`select ${sql.join(assignments, sql`, `)}`);
    return fn(tx);
  });
}

/**
 * Runs `fn` as the founder: role `authenticated` (not the tables' owner, so row-level security applies) with
 * the founder's id and claims set for the transaction, as Supabase does. Every owner's policies read
 * `request.founder_id`; the gateway's auth tables read `request.jwt.claim.sub`.
 */
export function withFounder<S extends Record<string, unknown>, T>(
  db: NodePgDatabase<S>,
  founder: Founder,
  fn: (tx: Transaction<S>) => Promise<T>,
): Promise<T> {
  return withRole(
    db,
    'authenticated',
    {
      'request.founder_id': founder.id,
      'request.jwt.claims': JSON.stringify(founder.claims),
      'request.jwt.claim.sub': founder.claims.sub,
    },
    fn,
  );
}

/**
 * Runs `fn` as an owner's role: every right on that owner's tables and none on any other owner's, so a worker
 * that strays into another schema fails instead of reading or writing it.
 */
export function withOwnerRole<S extends Record<string, unknown>, T>(
  db: NodePgDatabase<S>,
  owner: string,
  fn: (tx: Transaction<S>) => Promise<T>,
): Promise<T> {
  return withRole(db, ownerRoleName(owner), {}, fn);
}
