import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * An empty database of its own on the test run's Postgres (created here, dropped by `drop`): for a test that
 * migrates from nothing, counts only its own connections, or asserts figures over every row (which tests sharing
 * the `test` database would move under it).
 */
export interface FreshDatabase {
  name: string;
  /** The database, directly (no pooler). */
  url: string;
  /** A query as the server's superuser, on the `postgres` database: for pg_stat_activity and pg_locks. */
  query<Row extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

export async function createFreshDatabase(serverUrl: string, label: string): Promise<FreshDatabase> {
  const name = `dreamseed_${label}_${randomBytes(4).toString('hex')}`;
  const at = (database: string) => {
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const query = async <Row extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]> => {
    const client = new pg.Client({ connectionString: at('postgres') });
    await client.connect();
    try {
      return (await client.query<Row>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  await query(`create database ${name}`);
  return {
    name,
    url: at(name),
    query,
    // Forced: a connection left behind by a failed run must not keep the database.
    drop: async () => void (await query(`drop database if exists ${name} with (force)`)),
  };
}
