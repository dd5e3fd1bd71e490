/**
 * `npm run db:migrate`: applies every owner's pending migrations to DATABASE_MIGRATION_URL (else DATABASE_URL),
 * each owner under its own advisory lock (safe when several run at once, as when containers start together).
 * That lock belongs to a session, and a transaction pooler hands its server connection to other clients between
 * transactions: behind PgBouncer, DATABASE_URL names the pooler and DATABASE_MIGRATION_URL Postgres itself.
 */
import path from 'node:path';
import { createLogger, migrateAll } from '@dreamseed/platform';

const logger = createLogger({ service: 'migrate', version: process.env.APP_VERSION ?? 'dev', level: process.env.LOG_LEVEL ?? 'info' });
const url = process.env.DATABASE_MIGRATION_URL || process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL is not set: it (or DATABASE_MIGRATION_URL, when set) names the Postgres database to migrate.\n');
  process.exit(1);
}
const root = process.env.MIGRATIONS_ROOT ?? path.resolve(__dirname, '..');

migrateAll(url, root, logger)
  .then((applied) => {
    logger.info({ applied }, 'migrations done');
  })
  .catch((error) => {
    logger.fatal({ err: error }, 'migration failed');
    process.exit(1);
  });
