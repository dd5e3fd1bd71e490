import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { testInfra } from '@dreamseed/testing';
import { readAsOwner, withFounder, withOwnerRole } from './db-roles';
import { ownerRoleName } from './schema-helpers';

describe('role transactions (withOwnerRole, withFounder)', () => {
  const statements: string[] = [];
  let pool: pg.Pool;
  let db: ReturnType<typeof drizzle>;

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 2 });
    // Records what each connection sends, to count the round trips of a transaction.
    pool.on('connect', (client) => {
      // As createPool does: a connection killed from outside reports it here (the test below does that).
      client.on('error', () => undefined);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
        const first = args[0];
        statements.push(typeof first === 'string' ? first : ((first as { text?: string }).text ?? ''));
        return query(...args);
      };
    });
    db = drizzle(pool);
  });
  afterAll(() => pool.end());

  it('acts as the role for the transaction only, in one round trip to begin', async () => {
    statements.length = 0;
    const inside = await withOwnerRole(db, 'voice', async (tx) => (await tx.execute(sql`select current_user as who`)).rows[0]?.who);
    expect(inside).toBe(ownerRoleName('voice'));
    // begin and the role together, the statement, the commit.
    expect(statements).toHaveLength(3);
    expect(statements[0]).toBe(`begin; select set_config('role', '${ownerRoleName('voice')}', true)`);
    expect(statements[2]).toBe('commit');
    const after = await pool.query<{ who: string }>('select current_user as who');
    expect(after.rows[0]?.who).not.toBe(ownerRoleName('voice'));
  });

  it('carries any claims as they are, quotes and backslashes included', async () => {
    const claims = { sub: randomUUID(), name: `O'Brien \\ "x" ; drop table core.users; --`, role: 'authenticated' };
    const founder = { id: randomUUID(), claims };
    const seen = await withFounder(db, founder, async (tx) => {
      const { rows } = await tx.execute<{ who: string; id: string; claims: string; sub: string }>(sql`
        select current_user as who, current_setting('request.founder_id') as id,
               current_setting('request.jwt.claims') as claims, current_setting('request.jwt.claim.sub') as sub`);
      return rows[0];
    });
    expect(seen).toEqual({ who: 'authenticated', id: founder.id, claims: JSON.stringify(claims), sub: claims.sub });
  });

  it('rolls back on an error and leaves the connection usable', async () => {
    const id = randomUUID();
    await expect(
      withOwnerRole(db, 'domain', async (tx) => {
        await tx.execute(sql`insert into domain.domain_searches (id, business_id, trigger) values (${id}, ${randomUUID()}, 'api')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const { rows } = await pool.query('select 1 from domain.domain_searches where id = $1', [id]);
    expect(rows).toHaveLength(0);
    expect(await withOwnerRole(db, 'domain', async (tx) => (await tx.execute(sql`select 1 as one`)).rows[0])).toEqual({ one: 1 });
  });

  it('does not hand a lost connection back to the pool', async () => {
    const admin = new pg.Client({ connectionString: testInfra().databaseUrl });
    await admin.connect();
    try {
      // The connection is killed from outside while the transaction holds it.
      await expect(
        withOwnerRole(db, 'domain', async (tx) => {
          const pid = (await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`)).rows[0]?.pid;
          await admin.query('select pg_terminate_backend($1)', [pid]);
          await tx.execute(sql`select 1`);
        }),
      ).rejects.toThrow();
    } finally {
      await admin.end();
    }
    // Every later transaction gets a live connection.
    for (let i = 0; i < 4; i += 1) {
      expect(await withOwnerRole(db, 'domain', async (tx) => (await tx.execute(sql`select 1 as one`)).rows[0])).toEqual({ one: 1 });
    }
  });

  describe('readAsOwner', () => {
    it('reads under the role in one round trip, and leaves the connection as it was', async () => {
      statements.length = 0;
      const rows = await readAsOwner<{ who: string; n: string }>(db, 'voice', 'select current_user as who, $1::int + 1 as n', [41]);
      expect(rows).toEqual([{ who: ownerRoleName('voice'), n: 42 }]);
      expect(statements).toEqual([`begin; select set_config('role', '${ownerRoleName('voice')}', true); select current_user as who, '41'::int + 1 as n; commit`]);
      const after = await pool.query<{ who: string }>('select current_user as who');
      expect(after.rows[0]?.who).not.toBe(ownerRoleName('voice'));
    });

    it('writes each value as a literal: quotes, backslashes, a "$2" and a statement inside one change nothing', async () => {
      const awkward = `O'Brien \\ "x" $2 '; drop table core.users; --`;
      const rows = await readAsOwner<{ a: string; b: string | null; c: boolean }>(db, 'gateway', 'select $1::text as a, $2::text as b, $3::boolean as c', [awkward, null, true]);
      expect(rows).toEqual([{ a: awkward, b: null, c: true }]);
    });

    it('rolls back a failed statement and leaves the connection usable', async () => {
      await expect(readAsOwner(db, 'gateway', 'select 1 / $1::int', [0])).rejects.toThrow('division by zero');
      await expect(readAsOwner(db, 'gateway', 'select $1::text, $2::text', ['only one'])).rejects.toThrow('no value for $2');
      // A connection left inside the failed transaction would refuse these ("current transaction is aborted").
      for (let i = 0; i < 3; i += 1) {
        const { rows } = await pool.query<{ who: string }>('select current_user as who');
        expect(rows[0]?.who).not.toBe(ownerRoleName('gateway'));
      }
      expect(await readAsOwner(db, 'gateway', 'select 1 as one', [])).toEqual([{ one: 1 }]);
    });
  });
});
