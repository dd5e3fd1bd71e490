import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from './schema';

export type AnalysisDb = NodePgDatabase<typeof schema>;
export type AnalysisTx = Parameters<Parameters<AnalysisDb['transaction']>[0]>[0];

export function createAnalysisDb(pool: pg.Pool): AnalysisDb {
  return drizzle(pool, { schema });
}
