/**
 * `npm run operator:add -- <email> [--create | --remove]`: makes an account an operator (`app_metadata.role` =
 * `operator`), or with --remove no longer one. With --create, an address without an account gets one (and its
 * founder profile, as every account has), and a one-time recovery link and code are printed for its owner to
 * choose a password: never a password in argv, where shell history and `ps` would keep it. Running it again
 * changes nothing. A change of role ends the account's sessions, so the next sign-in carries the new role.
 *
 * It runs the gateway's own admin flows (apps/gateway/src/auth/admin.ts) against the database, not the admin HTTP
 * API with SERVICE_ROLE_KEY: the first operator is often made before the gateway is up or anyone holds a
 * service-role key, and the functions are the ones the admin API runs, so the account and the role's rules are
 * the same either way. Run it with the gateway's environment (DATABASE_URL, JWT_SECRET, PUBLIC_URL for the link);
 * without DATABASE_URL it uses the database `npm start` makes on a local server.
 */
import { z } from 'zod';
import { createPool, OPERATOR_ROLE } from '@dreamseed/platform';
import { createUser, findUser, updateUserById, type AdminContext } from '../apps/gateway/src/auth/admin';
import { generateLink } from '../apps/gateway/src/auth/admin-links';
import { describeLifetime } from '../apps/gateway/src/auth/codes';
import type { AuthUserRow } from '../apps/gateway/src/auth/serialize';
import { loadGatewayConfig } from '../apps/gateway/src/config';
import { createGatewayDb } from '../apps/gateway/src/db/client';

const USAGE = 'usage: npm run operator:add -- <email> [--create | --remove]\n';
const env = process.env;
/** Where `npm start` keeps its data on a local Postgres server (tools/infra.ts). */
const localDatabaseUrl = () => `postgres://${env.PGUSER ?? 'postgres'}@127.0.0.1:5432/dreamseed`;

const say = (line: string) => process.stdout.write(`${line}\n`);
const isOperator = (user: AuthUserRow) => (user.rawAppMetaData as { role?: unknown } | null)?.role === OPERATOR_ROLE;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((arg) => arg.startsWith('--')));
  const [email, ...extra] = args.filter((arg) => !arg.startsWith('--'));
  const unknownFlags = [...flags].filter((flag) => flag !== '--create' && flag !== '--remove');
  if (!email || extra.length || unknownFlags.length || (flags.has('--create') && flags.has('--remove'))) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (!z.email().safeParse(email).success) {
    process.stderr.write(`That is not an email address.\n${USAGE}`);
    return 2;
  }
  // The flows read no Redis (no mail is sent), but the gateway's config names one.
  const config = loadGatewayConfig({ ...env, DATABASE_URL: env.DATABASE_URL ?? localDatabaseUrl(), REDIS_URL: env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  const pool = createPool(config.DATABASE_URL, { max: 2, applicationName: 'operator-add' });
  try {
    await pool.query('select 1').catch(() => {
      throw new Error('Cannot reach the database: set DATABASE_URL to the gateway\'s.');
    });
    const ctx: AdminContext = { db: createGatewayDb(pool), config };
    return flags.has('--remove') ? await removeOperator(ctx, email) : await addOperator(ctx, email, flags.has('--create'));
  } finally {
    await pool.end();
  }
}

async function addOperator(ctx: AdminContext, email: string, create: boolean): Promise<number> {
  const found = await findUser(ctx, email);
  if (!found && !create) {
    process.stderr.write('No account has that address: have its owner sign up first, or pass --create.\n');
    return 1;
  }
  const user = found ?? (await createUser(ctx, { email }));
  if (isOperator(user)) {
    say(`Account ${user.id} is an operator already.`);
  } else {
    await updateUserById(ctx, user.id, { app_metadata: { role: OPERATOR_ROLE } });
    say(`Account ${user.id} is now an operator${found ? '; its sessions have ended, so its next sign-in carries the role' : ''}.`);
  }
  // An account without a password (made here, now or on an earlier run) needs a way in.
  if (!user.encryptedPassword) {
    const { properties } = await generateLink(ctx, { type: 'recovery', email });
    say('To choose a password, its owner opens this link once (or enters the code with type "recovery"):');
    say(`  ${properties.action_link}`);
    say(`  code: ${properties.email_otp}   (valid for ${describeLifetime(ctx.config.AUTH_OTP_EXPIRY_SECONDS)})`);
  }
  return 0;
}

async function removeOperator(ctx: AdminContext, email: string): Promise<number> {
  const user = await findUser(ctx, email);
  if (!user) {
    process.stderr.write('No account has that address.\n');
    return 1;
  }
  if (!isOperator(user)) {
    say(`Account ${user.id} is not an operator: nothing to do.`);
    return 0;
  }
  await updateUserById(ctx, user.id, { app_metadata: { role: null } });
  say(`Account ${user.id} is no longer an operator; its sessions have ended.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A failed query's own message names the statement; Postgres's reason is its cause.
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    process.stderr.write(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}${cause}\n`);
    process.exit(1);
  },
);
