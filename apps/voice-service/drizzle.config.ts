import { defineConfig } from 'drizzle-kit';

// Generating migrations needs no database: `npm run db:generate` diffs this schema against drizzle/meta.
export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/voice-service/src/db/schema.ts',
  out: './apps/voice-service/drizzle',
  schemaFilter: ['voice'],
  migrations: { schema: 'drizzle', table: '__migrations_voice' },
});
