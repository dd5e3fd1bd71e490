import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { testInfra } from '@dreamseed/testing';
import { readAsFounder } from './db-roles';

describe('readAsFounder', () => {
  const sent: string[] = [];
  let pool: pg.Pool;
  let db: ReturnType<typeof drizzle>;
  let connectedAs: string;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 1 });
    // Records what the connection sends, to count round trips.
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
        const first = args[0];
        sent.push(typeof first === 'string' ? first : ((first as { text?: string }).text ?? ''));
        return query(...args);
      };
    });
    db = drizzle(pool);
    connectedAs = (await pool.query<{ who: string }>('select current_user as who')).rows[0]?.who ?? '';
  });
  afterAll(() => pool.end());

  const founder = { id: randomUUID(), claims: { sub: randomUUID(), role: 'authenticated', name: `O'Brien \\ $1` } };
  const asked = `select current_user as who, current_setting('request.founder_id') as id, current_setting('request.jwt.claims') as claims,
                        current_setting('request.jwt.claim.sub') as sub, $1::text as given`;

  it('runs the check as the connection, then the read as the founder, in one round trip', async () => {
    sent.length = 0;
    const { before, rows } = await readAsFounder(db, founder, { text: asked, values: ['read'] }, {
      text: `select current_user as who, current_setting('request.founder_id', true) as id, $1::text as given`,
      values: ['check'],
    });
    expect(sent).toHaveLength(1);
    expect(before).toEqual([{ who: connectedAs, id: null, given: 'check' }]);
    expect(rows).toEqual([{ who: 'authenticated', id: founder.id, claims: JSON.stringify(founder.claims), sub: founder.claims.sub, given: 'read' }]);
    const after = await pool.query<{ who: string; id: string | null }>(`select current_user as who, nullif(current_setting('request.founder_id', true), '') as id`);
    expect(after.rows[0]).toEqual({ who: connectedAs, id: null });
  });

  it('reads without a check too', async () => {
    const { before, rows } = await readAsFounder(db, founder, { text: asked, values: [null] });
    expect(before).toEqual([]);
    expect(rows[0]).toMatchObject({ who: 'authenticated', given: null });
  });

  it('rolls back when either statement fails and leaves the connection usable', async () => {
    await expect(readAsFounder(db, founder, { text: 'select 1 / $1::int', values: [0] })).rejects.toThrow('division by zero');
    await expect(readAsFounder(db, founder, { text: 'select 1', values: [] }, { text: 'select 1 / $1::int', values: [0] })).rejects.toThrow('division by zero');
    const { rows } = await readAsFounder(db, founder, { text: 'select current_user as who', values: [] });
    expect(rows).toEqual([{ who: 'authenticated' }]);
  });
});
