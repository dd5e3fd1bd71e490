import { defineConfig } from 'drizzle-kit';

// Generating migrations needs no database: `npm run db:generate` diffs this schema against drizzle/meta.
export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/analysis-service/src/db/schema.ts',
  out: './apps/analysis-service/drizzle',
  schemaFilter: ['analysis'],
  migrations: { schema: 'drizzle', table: '__migrations_analysis' },
});
