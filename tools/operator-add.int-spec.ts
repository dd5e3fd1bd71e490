import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { exitWithin, runTs, testInfra } from '@dreamseed/testing';
import { oneTimeTokenHash } from '../apps/gateway/src/auth/tokens';

/** `npm run operator:add`, run as the operator runs it, against the test database. */
describe('npm run operator:add', () => {
  jest.setTimeout(60_000);
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 2 });
  });
  afterAll(() => pool.end());

  const run = async (...args: string[]) => {
    const tool = runTs('tools/operator-add.ts', { DATABASE_URL: testInfra().databaseUrl, PUBLIC_URL: 'http://localhost:8080' }, undefined, args);
    return { code: await exitWithin(tool, 30_000), output: tool.output() };
  };
  const account = async (email: string) =>
    (await pool.query('select id, raw_app_meta_data as app, encrypted_password from auth.users where email = $1 and deleted_at is null', [email])).rows[0] as
      | { id: string; app: Record<string, unknown>; encrypted_password: string | null }
      | undefined;

  it('creates an operator with --create, prints a one-time recovery link and code, and changes nothing when run again', async () => {
    const email = `operator-${randomUUID().slice(0, 8)}@example.com`;
    expect(await run(email)).toMatchObject({ code: 1, output: expect.stringContaining('pass --create') });
    const created = await run(email, '--create');
    expect(created.code).toBe(0);
    expect(created.output).toMatch(/is now an operator\./);
    expect(created.output).toMatch(/http:\/\/localhost:8080\/auth\/v1\/verify\?token=[0-9a-f]{56}&type=recovery/);
    const user = await account(email);
    expect(user?.app).toMatchObject({ role: 'operator', provider: 'email', profile_id: expect.any(String) });
    expect(user?.encrypted_password).toBeNull();
    const profile = await pool.query('select customer_email from core.users where auth_user_id = $1', [user?.id]);
    expect(profile.rows[0]).toEqual({ customer_email: email });
    // The printed code is the recovery token the account holds.
    const code = /code: (\d{6})/.exec(created.output)?.[1] ?? '';
    const token = await pool.query(`select 1 from auth.one_time_tokens where user_id = $1 and token_type = 'recovery_token' and token_hash = $2`, [
      user?.id,
      oneTimeTokenHash(email, code),
    ]);
    expect(token.rowCount).toBe(1);
    const again = await run(email, '--create');
    expect(again).toMatchObject({ code: 0, output: expect.stringContaining('is an operator already') });
    expect((await account(email))?.id).toBe(user?.id);
  });

  it('promotes an existing account and takes the role away with --remove, ending its sessions each time', async () => {
    const email = `founder-${randomUUID().slice(0, 8)}@example.com`;
    await run(email, '--create');
    const id = (await account(email))?.id ?? '';
    await pool.query(`update auth.users set raw_app_meta_data = raw_app_meta_data - 'role', encrypted_password = 'x' where id = $1`, [id]);
    await pool.query('insert into auth.sessions (user_id) values ($1)', [id]);
    const promoted = await run(email);
    expect(promoted).toMatchObject({ code: 0, output: expect.stringContaining('its sessions have ended') });
    expect(promoted.output).not.toContain('verify?token=');
    await pool.query('insert into auth.sessions (user_id) values ($1)', [id]);
    expect(await run(email, '--remove')).toMatchObject({ code: 0, output: expect.stringContaining('no longer an operator') });
    expect((await account(email))?.app.role).toBeUndefined();
    expect((await pool.query('select 1 from auth.sessions where user_id = $1', [id])).rowCount).toBe(0);
    expect(await run(email, '--remove')).toMatchObject({ code: 0, output: expect.stringContaining('nothing to do') });
  });

  it('refuses unclear requests with its usage', async () => {
    for (const args of [[], ['not-an-email'], ['a@example.com', '--create', '--remove'], ['a@example.com', '--force']]) {
      expect(await run(...args)).toMatchObject({ code: 2, output: expect.stringContaining('usage: npm run operator:add') });
    }
    expect(await run(`nobody-${randomUUID().slice(0, 8)}@example.com`, '--remove')).toMatchObject({ code: 1 });
  });
});
