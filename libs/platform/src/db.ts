import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Logger } from 'pino';
import { DATA_OWNERS, type DataOwner } from '@dreamseed/contracts';

export function createPool(url: string, options: { max: number; idleSeconds?: number; applicationName: string; logger?: Logger }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    application_name: options.applicationName,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: (options.idleSeconds ?? 600) * 1000,
  });
  // A client losing its server (restart, failover) must not crash the process: idle ones are replaced by the
  // pool, and one checked out between two queries (inside a transaction) fails its next query instead.
  pool.on('error', (error) => options.logger?.warn({ err: { message: error.message } }, 'postgres idle client error'));
  pool.on('connect', (client) => {
    client.on('error', (error) => options.logger?.warn({ err: { message: error.message } }, 'postgres connection lost'));
  });
  return pool;
}

export async function probePostgres(pool: pg.Pool): Promise<void> {
  await pool.query('select 1');
}

/** Where each owner's migrations and ledger live. */
export const MIGRATIONS_SCHEMA = 'drizzle';
export const ledgerTable = (owner: string) => `__migrations_${owner}`;
export const migrationsFolder = (workspaceRoot: string, owner: DataOwner) =>
  path.join(workspaceRoot, 'apps', owner.app, 'drizzle');

/**
 * Applies one owner's pending migrations. Drizzle's migrator takes no lock, so the run holds a session-level
 * advisory lock keyed by the owner: two migrators started at once apply each migration exactly once, the
 * second one waiting and then finding nothing left to do. A session lock needs the session to itself, so `url`
 * must reach Postgres directly (DATABASE_MIGRATION_URL), never through a transaction pooler, which would run the
 * unlock on another server connection and leave the lock held by a pooled one.
 */
export async function migrateOwner(
  url: string,
  owner: DataOwner,
  folder: string,
  logger?: Logger,
): Promise<{ applied: number }> {
  const client = new pg.Client({ connectionString: url, application_name: `migrate:${owner.owner}` });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [`dreamseed:migrate:${owner.owner}`]);
    await ensureLedgerSchema(client);
    const before = await countApplied(client, owner.owner);
    await migrate(drizzle(client), {
      migrationsFolder: folder,
      migrationsSchema: MIGRATIONS_SCHEMA,
      migrationsTable: ledgerTable(owner.owner),
    });
    const applied = (await countApplied(client, owner.owner)) - before;
    logger?.info({ owner: owner.owner, applied }, applied ? 'migrations applied' : 'schema up to date');
    return { applied };
  } finally {
    await client.query('select pg_advisory_unlock_all()').catch(() => undefined);
    await client.end();
  }
}

/** Migrates every owner, each under its own lock. */
export async function migrateAll(url: string, workspaceRoot: string, logger?: Logger): Promise<Record<string, number>> {
  const applied: Record<string, number> = {};
  for (const owner of DATA_OWNERS) {
    applied[owner.owner] = (await migrateOwner(url, owner, migrationsFolder(workspaceRoot, owner), logger)).applied;
  }
  return applied;
}

/** Every owner's ledger shares the `drizzle` schema; creating it concurrently needs a lock of its own. */
async function ensureLedgerSchema(client: pg.Client): Promise<void> {
  await client.query('begin');
  try {
    await client.query('select pg_advisory_xact_lock(hashtext($1))', ['dreamseed:migrate:ledger']);
    await client.query(`create schema if not exists "${MIGRATIONS_SCHEMA}"`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

async function countApplied(client: pg.Client, owner: string): Promise<number> {
  const exists = await client.query<{ found: string | null }>('select to_regclass($1) as found', [
    `"${MIGRATIONS_SCHEMA}"."${ledgerTable(owner)}"`,
  ]);
  if (!exists.rows[0]?.found) return 0;
  const result = await client.query<{ n: number }>(
    `select count(*)::int as n from "${MIGRATIONS_SCHEMA}"."${ledgerTable(owner)}"`,
  );
  return result.rows[0]?.n ?? 0;
}

const NUL = '\u0000';
/** A UTF-16 surrogate without its pair: JSON can carry one (`"\\udc00"`), UTF-8 cannot encode it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

const unfit = (text: string) => text.includes(NUL) || LONE_SURROGATE.test(text);
const fitted = (text: string) => (unfit(text) ? text.replaceAll(NUL, '').replace(LONE_SURROGATES, '\uFFFD') : text);

function holdsUnfit(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return unfit(value);
  if (!value || typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.some((item) => holdsUnfit(item, depth + 1));
  return Object.entries(value).some(([key, inner]) => unfit(key) || holdsUnfit(inner, depth + 1));
}

function fitAll(value: unknown): unknown {
  if (typeof value === 'string') return fitted(value);
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fitAll);
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [fitted(key), fitAll(inner)]));
}

/**
 * JSON from outside (a webhook's body) made storable in Postgres: NUL characters dropped and lone surrogates
 * replaced by U+FFFD, since no text or jsonb value can hold either (Postgres refuses `\\u0000` and an unpaired
 * `\\udc00` in jsonb); stored as it came, one would fail the statement every time it is tried. The value itself
 * when it needs no change (nearly always), so the check costs one walk and no copy.
 */
export function fitForPostgres<T>(value: T): T {
  return holdsUnfit(value) ? (fitAll(value) as T) : value;
}
