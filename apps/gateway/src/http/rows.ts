import { getTableColumns, type Table } from 'drizzle-orm';

/**
 * A row of the gateway's own tables as `/v1` shows it: the seed's column names as keys, and every time as ISO 8601
 * UTC (`…Z`) rather than Postgres' text. Read through Drizzle, whose columns say which values are times.
 */
export function rowView<T extends Table>(table: T, row: T['$inferSelect']): Record<string, unknown> {
  const values = row as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([key, column]) => {
      const value = values[key];
      return [column.name, value instanceof Date ? value.toISOString() : value];
    }),
  );
}
