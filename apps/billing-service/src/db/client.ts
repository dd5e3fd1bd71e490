import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from './schema';

export type BillingDb = NodePgDatabase<typeof schema>;
export type BillingTx = Parameters<Parameters<BillingDb['transaction']>[0]>[0];
export type PaymentRow = typeof schema.payments.$inferSelect;
export type SubscriptionRow = typeof schema.subscriptions.$inferSelect;

export function createBillingDb(pool: pg.Pool): BillingDb {
  return drizzle(pool, { schema });
}
