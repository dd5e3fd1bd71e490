/**
 * Who owns which Postgres schemas. Each owner keeps its migrations in `apps/<app>/drizzle` and its
 * migrations ledger in `drizzle.__migrations_<owner>`; only the owner writes its tables.
 */
export const DATA_OWNERS = [
  { owner: 'gateway', app: 'gateway', schemas: ['auth', 'core'] },
  { owner: 'voice', app: 'voice-service', schemas: ['voice'] },
  { owner: 'analysis', app: 'analysis-service', schemas: ['analysis'] },
  { owner: 'domain', app: 'domain-service', schemas: ['domain'] },
  { owner: 'billing', app: 'billing-service', schemas: ['billing'] },
] as const;

export type DataOwner = (typeof DATA_OWNERS)[number];
export type OwnerName = DataOwner['owner'];
export type AppName = DataOwner['app'];
