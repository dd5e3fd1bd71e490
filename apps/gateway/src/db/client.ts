import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from './schema';

export type GatewayDb = NodePgDatabase<typeof schema>;
export type GatewayTx = Parameters<Parameters<GatewayDb['transaction']>[0]>[0];

export function createGatewayDb(pool: pg.Pool): GatewayDb {
  return drizzle(pool, { schema });
}
