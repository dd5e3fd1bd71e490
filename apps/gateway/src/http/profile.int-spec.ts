import { startTestGateway, type TestGateway } from '../__fixtures__/test-gateway';

/** The founder's profile as /v1 shows it: the name kept in step with the account's metadata, and its times. */
describe("the founder's profile: its name in step with auth metadata, its times in ISO 8601", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
  });
  afterAll(() => gateway.stop());

  const signUp = () => gateway.signUp({ full_name: 'Ada Founder' });
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

  it('gives every time on the profile, the formation details and the export as ISO 8601 UTC', async () => {
    const { token } = await signUp();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    const timesIn = (row: Record<string, unknown>) => Object.entries(row).filter(([key, value]) => /_at$|_date$|_scheduled$/.test(key) && value !== null);
    const profile = (await (await fetch(`${gateway.url}/v1/me`, { headers })).json()) as Record<string, unknown>;
    expect(timesIn(profile).map(([key]) => key)).toEqual(expect.arrayContaining(['created_at', 'updated_at']));
    for (const [key, value] of timesIn(profile)) expect({ key, value }).toEqual({ key, value: expect.stringMatching(ISO) });
    const put = await fetch(`${gateway.url}/v1/me/formation`, { method: 'PUT', headers, body: JSON.stringify({ legal_name: 'Seeds LLC' }) });
    const formation = (await put.json()) as Record<string, unknown>;
    expect(formation.legal_name).toBe('Seeds LLC');
    for (const [key, value] of timesIn(formation)) expect({ key, value }).toEqual({ key, value: expect.stringMatching(ISO) });
    const patched = (await (await fetch(`${gateway.url}/v1/me`, { method: 'PATCH', headers, body: JSON.stringify({ business_name: 'Seeds' }) })).json()) as Record<string, unknown>;
    expect(patched).toMatchObject({ business_name: 'Seeds', updated_at: expect.stringMatching(ISO) });
  });
});

