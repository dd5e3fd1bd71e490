/**
 * A measured fast path: the transactions in which a connection acts as the founder or as an owner's role.
 *
 * Why it exists: every transaction of the platform sets a role first, and messages to Postgres are the dearest
 * operation on the paths someone waits on. So `withRole` sends `begin` and the settings as one simple query, and
 * `readAsOwner` sends a whole read (begin, role, statement, commit) as one.
 * What it bought: a round trip saved on every transaction, and the founder lookup behind `assistant-request` cut
 * to a single round trip (figures: docs/performance-notes.md#role-transactions).
 * What a change must re-measure: `npm run bench`, the `assistant-request` rows (CPU per request and p99) and
 * `GET /v1/me`; the int-spec beside this file checks that the role and settings hold and roll back.
 */
import { NodePgSession, NodePgTransaction, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { ownerRoleName } from './schema-helpers';

/** Who a request acts for: the founder's profile id (`core.users.id`) and the verified JWT claims. */
export interface Founder {
  id: string;
  claims: { sub: string } & Record<string, unknown>;
}

type Transaction<S extends Record<string, unknown>> = Parameters<Parameters<NodePgDatabase<S>['transaction']>[0]>[0];

/** drizzle's SQL dialect for Postgres; it holds no state of a database's own (we use no casing option). */
const dialect = new PgDialect();

/**
 * A transaction in which the connection acts as `role`, with these settings, for that transaction only.
 * Never for the session: behind a transaction pooler (PgBouncer) the server connection serves other clients
 * once the transaction ends, and would carry a session's role to them (tools/scale checks none is left).
 *
 * It is drizzle's node-postgres transaction, started by hand so that `begin` and the settings go to Postgres as
 * one simple query (one round trip instead of two, on every transaction of the platform). A simple query takes
 * no parameters, so the values travel as literals, quoted by pg's `escapeLiteral`. drizzle's own
 * `db.transaction` sends `begin` alone and offers no way to add to it.
 */
async function withRole<S extends Record<string, unknown>, T>(
  db: NodePgDatabase<S>,
  role: string,
  settings: Record<string, string>,
  fn: (tx: Transaction<S>) => Promise<T>,
): Promise<T> {
  return inTransaction(db, async (client) => {
    // set_config('role', …, true) is SET LOCAL ROLE.
    const assignments = Object.entries({ role, ...settings }).map(([name, value]) => `set_config(${client.escapeLiteral(name)}, ${client.escapeLiteral(value)}, true)`);
    await client.query(`begin; select ${assignments.join(', ')}`);
    const schema = db._.schema ? { schema: db._.schema, fullSchema: db._.fullSchema, tableNamesMap: db._.tableNamesMap } : undefined;
    const tx = new NodePgTransaction(dialect, new NodePgSession(client, dialect, schema), schema) as unknown as Transaction<S>;
    const result = await fn(tx);
    await client.query('commit');
    return result;
  });
}

/**
 * Runs `work` (which begins and ends its own transaction) on a pool connection. Should it throw, the transaction
 * is rolled back; a connection that cannot even roll back (it was lost) is closed rather than returned to the pool.
 */
async function inTransaction<T>(db: NodePgDatabase<Record<string, unknown>>, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await poolOf(db).connect();
  let broken = false;
  try {
    return await work(client);
  } catch (error) {
    await client.query('rollback').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** A value that `readAsOwner` and `readAsFounder` write into their statements as a quoted literal. */
export type LiteralValue = string | number | boolean | null;

/** A statement of the caller's own SQL (never input) and the values of its `$n`, for the one-round-trip reads. */
export interface LiteralStatement {
  text: string;
  values: LiteralValue[];
}

/**
 * One read statement under an owner's role, in a single round trip: `begin`, the role, the statement and
 * `commit` go to Postgres as one simple query. For the few reads on a path someone waits on (the founder lookup
 * of VAPI's assistant-request), where the three round trips of a transaction (begin, statement, commit) cost
 * more than the statement: every message to another process costs a system call and a wake-up on both sides,
 * the largest cost on that path (docs/performance-notes.md#role-transactions).
 *
 * A simple query takes no parameters: each `$n` of `text` becomes the n-th value as a literal quoted by pg's
 * `escapeLiteral` (`null` as null). `text` is the caller's own SQL, never input, and holds no `$n` inside
 * its own string literals. A failed statement rolls the transaction back, as `withOwnerRole` does.
 */
export async function readAsOwner<Row extends Record<string, unknown>>(
  db: NodePgDatabase<Record<string, unknown>>,
  owner: string,
  text: string,
  values: LiteralValue[],
): Promise<Row[]> {
  const [, read] = await inOneRoundTrip(db, (quote) => [`select set_config('role', ${quote(ownerRoleName(owner))}, true)`, withLiterals({ text, values }, quote)]);
  return read as Row[];
}

/**
 * `readAsOwner` for the founder: `read` under row-level security as `withFounder` runs it, in one round trip.
 * `before`, if given, runs first in the same transaction as the connection's own role, before the founder's
 * role is set: the gateway checks there that the token's session still exists (its auth tables are not the
 * founder's to read), so that `GET /v1/me` costs one round trip in all (docs/performance-notes.md#profile-read).
 * Both answers come back together; the caller decides from `before` whether `rows` may be used.
 */
export async function readAsFounder<Row extends Record<string, unknown>>(
  db: NodePgDatabase<Record<string, unknown>>,
  founder: Founder,
  read: LiteralStatement,
  before?: LiteralStatement,
): Promise<{ before: Record<string, unknown>[]; rows: Row[] }> {
  const answers = await inOneRoundTrip(db, (quote) => [
    ...(before ? [withLiterals(before, quote)] : []),
    `select ${Object.entries(founderSettings(founder)).map(([name, value]) => `set_config(${quote(name)}, ${quote(value)}, true)`).join(', ')}`,
    withLiterals(read, quote),
  ]);
  return { before: (before && answers[0]) || [], rows: answers[answers.length - 1] as Row[] };
}

/**
 * Sends `begin`, the statements and `commit` as one simple query and returns each statement's rows, in order.
 * A failed statement rolls the whole transaction back.
 */
async function inOneRoundTrip(
  db: NodePgDatabase<Record<string, unknown>>,
  statements: (quote: (value: string) => string) => string[],
): Promise<Record<string, unknown>[][]> {
  return inTransaction(db, async (client) => {
    const texts = statements((value) => client.escapeLiteral(value));
    const results = (await client.query(`begin; ${texts.join('; ')}; commit`)) as unknown as pg.QueryResult[];
    if (!Array.isArray(results) || results.length !== texts.length + 2) throw new Error('readAsOwner and readAsFounder take exactly one statement each');
    return results.slice(1, -1).map((result) => result.rows);
  });
}

/** A statement's `$n` replaced by its values as quoted literals (`null` as null). */
function withLiterals(statement: LiteralStatement, quote: (value: string) => string): string {
  return statement.text.replace(/\$(\d+)/g, (_, index: string) => {
    const position = Number(index);
    if (position < 1 || position > statement.values.length) throw new Error(`no value for $${index}`);
    const value = statement.values[position - 1];
    return value === null || value === undefined ? 'null' : quote(String(value));
  });
}

/** The pool a drizzle database was made on (`drizzle(pool, …)`, as every app's is). */
function poolOf(db: NodePgDatabase<Record<string, unknown>>): pg.Pool {
  const client = (db as { $client?: unknown }).$client;
  if (typeof client !== 'object' || client === null || typeof (client as pg.Pool).connect !== 'function' || !('totalCount' in client)) {
    throw new Error('withRole needs a drizzle database made on a pg Pool');
  }
  return client as pg.Pool;
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
  const { role, ...settings } = founderSettings(founder);
  return withRole(db, role, settings, fn);
}

/** The founder's role and settings, as Supabase sets them for a request. */
function founderSettings(founder: Founder): { role: string } & Record<string, string> {
  return {
    role: 'authenticated',
    'request.founder_id': founder.id,
    'request.jwt.claims': JSON.stringify(founder.claims),
    'request.jwt.claim.sub': founder.claims.sub,
  };
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
