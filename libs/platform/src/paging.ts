/**
 * Keyset paging for the founder's lists: `limit` (default 20, at most 100) and an opaque `cursor` naming the last
 * row of the page before, answered with `next_cursor` (null on the last page). A cursor holds a row id, not an
 * offset, so rows added meanwhile never shift a page, and a row's own sort key is read back from Postgres, so
 * timestamps keep their microseconds.
 */
import { desc, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgSelect, PgTable } from 'drizzle-orm/pg-core';
import { badRequest } from './errors';

export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_PREFIX = 'p1:';

export interface PageRequest {
  limit: number;
  /** The id of the last row already seen, or null for the first page. */
  after: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function encodeCursor(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`).toString('base64url');
}

/** `limit` and `cursor` from a query string, or 400 `invalid_limit` / `invalid_cursor`. */
export function pageRequest(query: Record<string, unknown>): PageRequest {
  let limit = PAGE_LIMIT_DEFAULT;
  if (query.limit !== undefined) {
    const given = typeof query.limit === 'string' && /^\d{1,3}$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!(given >= 1 && given <= PAGE_LIMIT_MAX)) throw badRequest('invalid_limit', `limit must be a whole number from 1 to ${PAGE_LIMIT_MAX}.`);
    limit = given;
  }
  if (query.cursor === undefined) return { limit, after: null };
  const decoded = typeof query.cursor === 'string' && query.cursor.length <= 100 ? Buffer.from(query.cursor, 'base64url').toString() : '';
  const id = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!UUID.test(id)) throw badRequest('invalid_cursor', 'The cursor is not one this API gave; start again without it.');
  return { limit, after: id.toLowerCase() };
}

/** The page as a query string for an owner's internal list (`?limit=…&cursor=…`). */
export function pageQuery(page: PageRequest): URLSearchParams {
  const query = new URLSearchParams({ limit: String(page.limit) });
  if (page.after) query.set('cursor', encodeCursor(page.after));
  return query;
}

/** The rows of one page, read with `limit + 1` so that a next page is known without counting. */
export function pageOf<T>(rows: T[], page: PageRequest, idOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > page.limit && last ? encodeCursor(idOf(last)) : null };
}

/**
 * The rows after the cursor's row in a newest-first list ordered by `(key, id)` descending. The cursor's row is
 * read in the same statement (and under the same row-level security): a row the caller cannot see ends the list.
 */
export function afterRow(table: PgTable, key: PgColumn, id: PgColumn, page: PageRequest): SQL | undefined {
  return page.after ? sql`(${key}, ${id}) < (select ${key}, ${id} from ${table} where ${id} = ${page.after})` : undefined;
}

/**
 * One page of a newest-first list: `query` (a `select … from table`, made dynamic with `$dynamic()`) after the
 * cursor's row, ordered by `(key, id)` descending and read with `limit + 1`, as `pageOf` gives it.
 */
export async function newestFirstPage<Q extends PgSelect>(query: Q, table: PgTable, key: PgColumn, id: PgColumn, page: PageRequest): Promise<Page<Awaited<Q>[number]>> {
  const rows = (await query.where(afterRow(table, key, id, page)).orderBy(desc(key), desc(id)).limit(page.limit + 1)) as Awaited<Q>;
  return pageOf(rows, page, (row) => (row as { id: string }).id);
}
