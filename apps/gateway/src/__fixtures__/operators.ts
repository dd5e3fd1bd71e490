import { randomIp, uniqueEmail, type TestGateway } from './test-gateway';

const PASSWORD = 'correct horse battery';

export interface TestAccount {
  /** The auth user id. */
  id: string;
  email: string;
  token: string;
  /** The client address its requests say they come from (X-Forwarded-For), so that address limits stay its own. */
  ip: string;
}

/** A founder signed up through the gateway (AUTH_AUTOCONFIRM on), with their profile id. */
export async function signUpFounder(gateway: TestGateway): Promise<TestAccount & { profileId: string }> {
  const ip = randomIp();
  const email = uniqueEmail('founder');
  const { data, error } = await gateway.client(ip).signUp({ email, password: PASSWORD });
  if (error || !data.session || !data.user) throw error ?? new Error('no session: is AUTH_AUTOCONFIRM on?');
  return { id: data.user.id, email, token: data.session.access_token, ip, profileId: String(data.user.app_metadata.profile_id) };
}

/**
 * An operator: an account signed up through the gateway, given the role on its row as an operator's account is
 * (`app_metadata.role`), then signed in again so that its token carries the role.
 */
export async function signUpOperator(gateway: TestGateway): Promise<TestAccount> {
  const ip = randomIp();
  const email = uniqueEmail('operator');
  const client = gateway.client(ip);
  const { data, error } = await client.signUp({ email, password: PASSWORD });
  if (error || !data.user) throw error ?? new Error('no user');
  await gateway.pool.query(`update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role":"operator"}' where id = $1`, [data.user.id]);
  const signedIn = await client.signInWithPassword({ email, password: PASSWORD });
  if (signedIn.error || !signedIn.data.session) throw signedIn.error ?? new Error('no session');
  return { id: data.user.id, email, token: signedIn.data.session.access_token, ip };
}

/** A request to the gateway as `account` (its bearer token and address); a body goes as JSON. */
export function callAs(gateway: TestGateway, account: TestAccount | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      'x-forwarded-for': account?.ip ?? randomIp(),
      ...(account ? { authorization: `Bearer ${account.token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
