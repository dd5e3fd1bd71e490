import { randomUUID } from 'node:crypto';
import { desc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { testInfra } from '@dreamseed/testing';
import { afterRow, pageOf, pageRequest, type PageRequest } from './paging';

const TABLE = `paging_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const rows = pgTable(TABLE, { id: uuid('id').primaryKey(), createdAt: timestamp('created_at', { withTimezone: true, precision: 6 }).notNull() });

/** Keyset pages over a real table: every row once, in order, whatever the ties and microseconds. */
describe('paging a newest-first list in Postgres', () => {
  const pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 2 });
  const db = drizzle(pool);

  beforeAll(async () => {
    await pool.query(`create table ${TABLE} (id uuid primary key, created_at timestamptz(6) not null)`);
    // Ten rows share one instant, and the rest differ by microseconds only, which a JavaScript Date cannot hold.
    await pool.query(
      `insert into ${TABLE} select gen_random_uuid(), case when n <= 10 then timestamptz '2026-12-06 10:00:00.000001+00'
         else timestamptz '2026-12-06 10:00:00+00' + n * interval '1 microsecond' end from generate_series(1, 37) n`,
    );
  });
  afterAll(async () => {
    await pool.query(`drop table ${TABLE}`);
    await pool.end();
  });

  const read = (page: PageRequest) =>
    db.select().from(rows).where(afterRow(rows, rows.createdAt, rows.id, page)).orderBy(desc(rows.createdAt), desc(rows.id)).limit(page.limit + 1);

  it.each([1, 7, 10, 36, 37, 100])('walks every row once, in order, %i at a time', async (limit) => {
    const all = (await pool.query(`select id from ${TABLE} order by created_at desc, id desc`)).rows.map((row: { id: string }) => row.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages += 1) {
      const page = pageRequest(cursor ? { limit: String(limit), cursor } : { limit: String(limit) });
      const { items, next_cursor } = pageOf(await read(page), page, (row) => row.id);
      seen.push(...items.map((row) => row.id));
      expect(items.length).toBeLessThanOrEqual(limit);
      cursor = next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all);
  });
});
