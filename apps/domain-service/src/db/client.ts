import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from './schema';

export type DomainDb = NodePgDatabase<typeof schema>;

export function createDomainDb(pool: pg.Pool): DomainDb {
  return drizzle(pool, { schema });
}
