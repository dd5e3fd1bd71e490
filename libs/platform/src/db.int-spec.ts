import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { DATA_OWNERS } from '@dreamseed/contracts';
import { testInfra, waitFor, WORKSPACE_ROOT } from '@dreamseed/testing';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { createPool, ledgerTable, migrateAll, migrationsFolder } from './db';
import { withOwnerRole } from './db-roles';
import { createFreshDatabase } from './__fixtures__/fresh-database';

/** A database of this test's own, so that migrating from nothing can be watched. */
async function withFreshDatabase(run: (url: string) => Promise<void>) {
  const database = await createFreshDatabase(testInfra().databaseUrl, 'mig');
  try {
    await run(database.url);
  } finally {
    await database.drop();
  }
}

function journalLength(owner: (typeof DATA_OWNERS)[number]): number {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder(WORKSPACE_ROOT, owner), 'meta/_journal.json'), 'utf8'));
  return journal.entries.length;
}

async function schemaFingerprint(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query(
      `select table_schema, table_name, column_name, data_type, is_nullable
         from information_schema.columns
        where table_schema = any($1) order by 1, 2, 3`,
      [DATA_OWNERS.flatMap((o) => [...o.schemas])],
    );
    const ledgers: Record<string, number> = {};
    for (const owner of DATA_OWNERS) {
      const result = await client.query(`select count(*)::int as n from drizzle."${ledgerTable(owner.owner)}"`);
      ledgers[owner.owner] = result.rows[0].n;
    }
    return { columns: columns.rows, ledgers };
  } finally {
    await client.end();
  }
}

describe('createPool', () => {
  it('keeps an idle connection for the time configured, ten minutes unless told', async () => {
    const quick = createPool(testInfra().databaseUrl, { max: 1, idleSeconds: 1, applicationName: 'pool-idle-test' });
    const usual = createPool(testInfra().databaseUrl, { max: 1, applicationName: 'pool-idle-test' });
    try {
      await Promise.all([quick.query('select 1'), usual.query('select 1')]);
      expect([quick.idleCount, usual.idleCount]).toEqual([1, 1]);
      await waitFor(() => quick.totalCount === 0, 'the quick pool to close its idle connection', 5_000);
      expect(usual.totalCount).toBe(1);
      expect(usual.options.idleTimeoutMillis).toBe(600_000);
    } finally {
      await Promise.all([quick.end(), usual.end()]);
    }
  });
});

describe('migrations', () => {
  it('two migrators started at once end with one correct schema, and a rerun changes nothing', async () => {
    await withFreshDatabase(async (url) => {
      const [first, second] = await Promise.all([migrateAll(url, WORKSPACE_ROOT), migrateAll(url, WORKSPACE_ROOT)]);
      for (const owner of DATA_OWNERS) {
        // Each migration was applied by exactly one of the two.
        expect((first[owner.owner] ?? 0) + (second[owner.owner] ?? 0)).toBe(journalLength(owner));
      }
      const before = await schemaFingerprint(url);
      expect(before.ledgers).toEqual(Object.fromEntries(DATA_OWNERS.map((o) => [o.owner, journalLength(o)])));

      const rerun = await migrateAll(url, WORKSPACE_ROOT);
      expect(Object.values(rerun).every((n) => n === 0)).toBe(true);
      expect(await schemaFingerprint(url)).toEqual(before);
    });
  });

  it('creates every table of the design, with the seed columns of core.users and analysis.dream_dna', async () => {
    const client = new pg.Client({ connectionString: testInfra().databaseUrl });
    await client.connect();
    try {
      const tables = await client.query(
        `select table_schema || '.' || table_name as name from information_schema.tables
          where table_schema in ('auth', 'core', 'voice', 'analysis', 'domain', 'billing')`,
      );
      const names = tables.rows.map((row) => row.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'auth.users',
          'auth.refresh_tokens',
          'core.users',
          'core.user_sessions',
          'core.business_formation_data',
          'voice.conversations',
          'voice.transcripts',
          'voice.webhook_logs',
          'voice.call_sessions',
          'voice.vapi_calls',
          'voice.voice_calls',
          'analysis.dream_dna',
          'analysis.ai_analysis',
          'analysis.business_assessment',
          'analysis.assessment_responses',
          'domain.domain_searches',
          'billing.payments',
          'billing.subscriptions',
          'billing.billing_events',
        ]),
      );
      const columns = async (schema: string, table: string) =>
        (
          await client.query(
            'select column_name from information_schema.columns where table_schema = $1 and table_name = $2',
            [schema, table],
          )
        ).rows.map((row) => row.column_name);
      const users = await columns('core', 'users');
      // The seed's 36 columns and the currency of amount_paid (gateway migration 0010).
      expect(users).toHaveLength(37);
      expect(users).toEqual(
        expect.arrayContaining([
          'auth_user_id', 'customer_phone', 'call_4_completed', 'call_4_completed_at', 'current_call_stage',
          'next_call_scheduled', 'individual_assistant_id', 'subscription_expires_at', 'deleted_at', 'currency',
        ]),
      );
      const dna = await columns('analysis', 'dream_dna');
      expect(dna).toEqual(
        expect.arrayContaining([
          'id', 'business_id', 'what_problem', 'who_serves', 'how_different', 'primary_service', 'brand_vibe',
          'color_preference', 'price_level', 'version', 'created_at', 'updated_at',
        ]),
      );
    } finally {
      await client.end();
    }
  });

  it('keeps row-level security on for every table of every owner, with a founder policy wherever founders have rows', async () => {
    // Tables of the platform's own, with nothing of any founder's in them: RLS on, no policy, founders see nothing.
    const platformTables = new Set(['domain.domain_availability', 'billing.billing_events', 'core.webhook_inbox', 'voice.archives']);
    // Tables about founders that only staff read, through the gateway's operator routes: no founder policy either.
    for (const staffOnly of ['core.operator_audit', 'core.founder_attention']) platformTables.add(staffOnly);
    // The owners' marks of erased founders hold ids only, and only the owner reads them.
    for (const owner of ['voice', 'analysis', 'domain']) platformTables.add(`${owner}.erased_founders`);
    const client = new pg.Client({ connectionString: testInfra().databaseUrl });
    await client.connect();
    try {
      const tables = await client.query<{ name: string; rls: boolean; policies: number }>(
        `select n.nspname || '.' || c.relname as name, c.relrowsecurity as rls,
                (select count(*)::int from pg_policies p
                  where p.schemaname = n.nspname and p.tablename = c.relname and 'authenticated' = any(p.roles)) as policies
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind = 'r' and n.nspname = any($1)`,
        [DATA_OWNERS.flatMap((o) => [...o.schemas])],
      );
      expect(tables.rows.length).toBeGreaterThan(20);
      const withoutRls = tables.rows.filter((t) => !t.rls).map((t) => t.name);
      const withoutPolicy = tables.rows.filter((t) => !platformTables.has(t.name) && t.policies === 0).map((t) => t.name);
      expect({ withoutRls, withoutPolicy }).toEqual({ withoutRls: [], withoutPolicy: [] });
    } finally {
      await client.end();
    }
  });

  it("lets an owner's role use its own tables and no other owner's", async () => {
    const pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 1 });
    const db = drizzle(pool);
    try {
      const ownRows = await withOwnerRole(db, 'domain', async (tx) => {
        const id = randomUUID();
        await tx.execute(sql`insert into domain.domain_searches (id, business_id, trigger) values (${id}, ${randomUUID()}, 'api')`);
        return (await tx.execute(sql`select id from domain.domain_searches where id = ${id}`)).rows;
      });
      expect(ownRows).toHaveLength(1);
      for (const foreign of ['select 1 from analysis.dream_dna', 'select 1 from core.users', 'select 1 from auth.users', 'select 1 from billing.payments']) {
        await expect(withOwnerRole(db, 'domain', (tx) => tx.execute(sql.raw(foreign)))).rejects.toMatchObject({ cause: { code: '42501' } });
      }
    } finally {
      await pool.end();
    }
  });

  it('enforces the enum checks and the versioning of the Dream DNA', async () => {
    const client = new pg.Client({ connectionString: testInfra().databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      await expect(client.query(`insert into core.users (status) values ('dreaming')`)).rejects.toThrow(/users_status/);
      await client.query('rollback');
      await client.query('begin');
      await expect(client.query(`insert into core.users (customer_phone) values ('555-1234')`)).rejects.toThrow(/e164/);
      await client.query('rollback');
      await client.query('begin');
      await expect(
        client.query(`insert into analysis.dream_dna (business_id, version, brand_vibe) values (gen_random_uuid(), 1, 'loud')`),
      ).rejects.toThrow(/brand_vibe/);
      await client.query('rollback');
      await client.query('begin');
      const businessId = randomUUID();
      await client.query(`insert into analysis.dream_dna (business_id, version, price_level) values ($1, 1, 'mid-market')`, [businessId]);
      await expect(client.query(`insert into analysis.dream_dna (business_id, version) values ($1, 1)`, [businessId])).rejects.toThrow(
        /dream_dna_business_version_key/,
      );
      await client.query('rollback');
    } finally {
      await client.end();
    }
  });
});
