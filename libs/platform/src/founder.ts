import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';

/** Who a request acts for: the founder's profile id (`core.users.id`) and the verified JWT claims. */
export interface Founder {
  id: string;
  claims: { sub: string } & Record<string, unknown>;
}

type Transaction<S extends Record<string, unknown>> = Parameters<Parameters<NodePgDatabase<S>['transaction']>[0]>[0];

/**
 * Runs `fn` in a transaction as the founder: role `authenticated` (not the tables' owner, so row-level
 * security applies) with the founder's id and claims set for that transaction only, as Supabase does. Every
 * owner's policies read `request.founder_id`; the gateway's auth tables read `request.jwt.claim.sub`.
 */
export async function withFounder<S extends Record<string, unknown>, T>(
  db: NodePgDatabase<S>,
  founder: Founder,
  fn: (tx: Transaction<S>) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    // One round trip: set_config('role', …, true) is SET LOCAL ROLE.
    await tx.execute(
      sql`select set_config('role', 'authenticated', true),
                 set_config('request.founder_id', ${founder.id}, true),
                 set_config('request.jwt.claims', ${JSON.stringify(founder.claims)}, true),
                 set_config('request.jwt.claim.sub', ${founder.claims.sub}, true)`,
    );
    return fn(tx);
  });
}
