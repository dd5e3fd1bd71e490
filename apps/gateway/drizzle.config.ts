import { defineConfig } from 'drizzle-kit';

// Generating migrations needs no database: `npm run db:generate` diffs this schema against drizzle/meta.
export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/gateway/src/db/schema.ts',
  out: './apps/gateway/drizzle',
  schemaFilter: ['auth', 'core'],
  migrations: { schema: 'drizzle', table: '__migrations_gateway' },
});
