import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from './schema';

export type VoiceDb = NodePgDatabase<typeof schema>;
export type VoiceTx = Parameters<Parameters<VoiceDb['transaction']>[0]>[0];

export function createVoiceDb(pool: pg.Pool): VoiceDb {
  return drizzle(pool, { schema });
}
