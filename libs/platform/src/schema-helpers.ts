import { sql } from 'drizzle-orm';
import { check, timestamp } from 'drizzle-orm/pg-core';

/**
 * Column and constraint helpers for the owners' Drizzle schemas. Kept apart from the platform's index so that
 * drizzle-kit loads only drizzle-orm when it reads a schema file.
 */
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
export const timestampTz = (name: string) => timestamp(name, { withTimezone: true });

/** A check that a text column holds one of the values (or is null). Values come from code, never from input. */
export const oneOf = (name: string, column: string, values: readonly string[]) =>
  check(name, sql.raw(`"${column}" is null or "${column}" in (${values.map((v) => `'${v}'`).join(', ')})`));
