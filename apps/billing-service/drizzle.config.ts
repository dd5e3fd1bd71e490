import { defineConfig } from 'drizzle-kit';

// Generating migrations needs no database: `npm run db:generate` diffs this schema against drizzle/meta.
export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/billing-service/src/db/schema.ts',
  out: './apps/billing-service/drizzle',
  schemaFilter: ['billing'],
  migrations: { schema: 'drizzle', table: '__migrations_billing' },
});
