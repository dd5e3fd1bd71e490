import { sql } from 'drizzle-orm';
import { check, pgPolicy, pgRole, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

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

/**
 * Row-level security. Requests made for a founder run as the `authenticated` role (as on Supabase), with the
 * founder's profile id in `request.founder_id` and the JWT claims in `request.jwt.claims` for that transaction
 * (see `withFounder`). The role is created by each owner's first roles migration, idempotently.
 */
export const founderRole = pgRole('authenticated').existing();

/** The founder the current transaction acts for (null outside `withFounder`). */
export const currentFounder = sql`nullif(current_setting('request.founder_id', true), '')::uuid`;

/** A founder may read the rows whose `column` is their profile id. */
export const founderReads = (table: string, column: string) =>
  pgPolicy(`${table}_founder_reads_own`, {
    for: 'select',
    to: founderRole,
    using: sql`${sql.identifier(column)} = ${currentFounder}`,
  });

/** A founder may also insert and change those rows, and only ever for themself. */
export const founderWrites = (table: string, column: string) => [
  pgPolicy(`${table}_founder_inserts_own`, {
    for: 'insert',
    to: founderRole,
    withCheck: sql`${sql.identifier(column)} = ${currentFounder}`,
  }),
  pgPolicy(`${table}_founder_updates_own`, {
    for: 'update',
    to: founderRole,
    using: sql`${sql.identifier(column)} = ${currentFounder}`,
    withCheck: sql`${sql.identifier(column)} = ${currentFounder}`,
  }),
];

/** The auth user (JWT `sub`) the current transaction acts for: the gateway's `auth` tables key on it. */
export const currentAuthUser = sql`nullif(current_setting('request.jwt.claim.sub', true), '')::uuid`;

export const authUserReads = (table: string, column: string) =>
  pgPolicy(`${table}_user_reads_own`, {
    for: 'select',
    to: founderRole,
    using: sql`${sql.identifier(column)} = ${currentAuthUser}`,
  });

/** Rows without a founder column of their own, readable when their parent row is the founder's. */
export const founderReadsThroughParent = (table: string, parent: { schema: string; table: string; founderColumn: string }, foreignKey: string) =>
  pgPolicy(`${table}_founder_reads_own`, {
    for: 'select',
    to: founderRole,
    using: sql`exists (select 1 from ${sql.identifier(parent.schema)}.${sql.identifier(parent.table)} parent
      where parent.id = ${sql.identifier(foreignKey)} and parent.${sql.identifier(parent.founderColumn)} = ${currentFounder})`,
  });

/** The role an owner's workers act as (see `withOwnerRole`): all rights on the owner's tables, none elsewhere. */
export const ownerRoleName = (owner: string) => `dreamseed_${owner}`;

/** The owner's own role sees and changes every row of its tables. */
export const ownerAll = (table: string, owner: string) =>
  pgPolicy(`${table}_owner_all`, {
    for: 'all',
    to: pgRole(ownerRoleName(owner)).existing(),
    using: sql`true`,
    withCheck: sql`true`,
  });

/**
 * `<schema>.erased_founders`: the founders whose data this owner erased (`erase-founder`), one row each, kept
 * for good. Work that would write a founder's rows asks `founderErased` first, so that a job queued before the
 * erasure (a retry, a late vendor event) cannot bring the founder's data back. Holds ids only.
 */
export const erasedFoundersTable = <S extends string>(schema: PgSchema<S>, owner: string) =>
  schema.table(
    'erased_founders',
    {
      userId: uuid('user_id').primaryKey(),
      erasedAt: timestamp('erased_at', { withTimezone: true }).notNull().defaultNow(),
    },
    () => [ownerAll('erased_founders', owner)],
  );
