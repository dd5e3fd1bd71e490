import { getTableColumns, type Table } from 'drizzle-orm';
import { z } from 'zod';

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

/** The zod schema of `rowView(table, …)`: each column's type from Drizzle's own description, null where it may be. */
export function rowSchema<T extends Table>(table: T): z.ZodObject {
  const shape = Object.fromEntries(
    Object.values(getTableColumns(table)).map((column) => {
      const type = COLUMN_TYPES[column.dataType]?.(column.enumValues) ?? z.unknown();
      return [column.name, column.notNull ? type : type.nullable()];
    }),
  );
  return z.object(shape);
}

const COLUMN_TYPES: Record<string, (enumValues: string[] | undefined) => z.ZodType> = {
  string: (enumValues) => (enumValues?.length ? z.enum(enumValues as [string, ...string[]]) : z.string()),
  number: () => z.number(),
  boolean: () => z.boolean(),
  date: () => z.iso.datetime({ offset: true }),
  json: () => z.unknown(),
  array: () => z.array(z.unknown()),
};
