import { defineConfig } from 'drizzle-kit';

// Generating migrations needs no database: `npm run db:generate` diffs this schema against drizzle/meta.
export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/domain-service/src/db/schema.ts',
  out: './apps/domain-service/drizzle',
  schemaFilter: ['domain'],
  migrations: { schema: 'drizzle', table: '__migrations_domain' },
});
