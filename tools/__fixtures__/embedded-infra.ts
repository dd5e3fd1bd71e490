/**
 * Resolves the infrastructure with no local servers to find (ports 1 and 2), migrates, writes and reads a row,
 * and prints what it saw as one JSON line. Run as its own process: PGlite loads its WebAssembly through
 * dynamic imports, which jest's module sandbox does not allow.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import path from 'node:path';
import { migrateAll } from '@dreamseed/platform';
import { resolveInfrastructure } from '../infra';

async function main() {
  const dataDir = process.argv[2] ?? '';
  const infra = await resolveInfrastructure({}, dataDir, { postgres: 1, redis: 2 });
  try {
    const applied = await migrateAll(infra.databaseUrl, path.resolve(__dirname, '../..'));
    const client = new pg.Client({ connectionString: infra.databaseUrl });
    await client.connect();
    await client.query("insert into core.users (customer_name) values ('Embedded Founder')");
    const users = (await client.query('select count(*)::int as n from core.users')).rows[0].n;
    await client.end();
    const redis = new Redis(infra.redisUrl);
    const setting = async (name: string) => ((await redis.config('GET', name)) as string[])[1];
    const appendonly = await setting('appendonly');
    const policy = await setting('maxmemory-policy');
    redis.disconnect();
    process.stdout.write(`${JSON.stringify({ notes: infra.notes, embeddedPostgres: infra.embeddedPostgres, applied, users, appendonly, policy })}\n`);
  } finally {
    await infra.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
