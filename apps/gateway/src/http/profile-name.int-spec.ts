import { startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';

/** The founder's name is kept in two places the gateway owns: the account's metadata and the profile. */
describe("the founder's name in auth metadata and on the profile", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
  });
  afterAll(() => gateway.stop());

  const signUp = async () => {
    const client = gateway.client();
    const { data, error } = await client.signUp({ email: uniqueEmail(), password: 'correct horse battery', options: { data: { full_name: 'Ada Founder' } } });
    if (error || !data.session) throw error ?? new Error('no session');
    return { client, token: data.session.access_token };
  };
  const profileOf = async (token: string) =>
    (await (await fetch(`${gateway.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { customer_name: string | null };

  it('follows a name changed through auth-js onto the profile', async () => {
    const { client, token } = await signUp();
    expect((await profileOf(token)).customer_name).toBe('Ada Founder');
    const { error } = await client.updateUser({ data: { full_name: 'Ada Lovelace' } });
    expect(error).toBeNull();
    expect((await profileOf(token)).customer_name).toBe('Ada Lovelace');
    // Metadata without a name key leaves the name alone; removing the name clears it.
    await client.updateUser({ data: { favourite_colour: 'green' } });
    expect((await profileOf(token)).customer_name).toBe('Ada Lovelace');
    await client.updateUser({ data: { full_name: null } });
    expect((await profileOf(token)).customer_name).toBeNull();
  });

  it('follows a name changed on the profile into the metadata auth-js reads', async () => {
    const { client, token } = await signUp();
    const patched = await fetch(`${gateway.url}/v1/me`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customer_name: 'Grace Hopper' }),
    });
    expect(patched.status).toBe(200);
    const { data } = await client.getUser(token);
    expect(data.user?.user_metadata).toMatchObject({ full_name: 'Grace Hopper' });
    await fetch(`${gateway.url}/v1/me`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customer_name: null }),
    });
    expect((await client.getUser(token)).data.user?.user_metadata).not.toHaveProperty('full_name');
  });
});
