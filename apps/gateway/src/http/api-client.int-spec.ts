import { createApiClient } from '@dreamseed/api-client';
import { startTestGateway, type TestGateway } from '../__fixtures__/test-gateway';

/** The generated client (libs/api-client) against a running gateway: what the web app will build on. */
describe('the typed API client', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
  });
  afterAll(() => gateway.stop());

  const signedIn = async () => {
    const { token } = await gateway.signUp(undefined, 'client');
    return createApiClient({ baseUrl: gateway.url, headers: { authorization: `Bearer ${token}` } });
  };

  it('reads and writes the founder\'s own data through the documented paths', async () => {
    const api = await signedIn();
    const me = await api.GET('/v1/me');
    expect(me.response.status).toBe(200);
    const put = await api.PUT('/v1/me/formation', { body: { legal_name: 'Seeds LLC', state_of_formation: 'DE' } });
    expect(put.response.status).toBe(200);
    const formation = await api.GET('/v1/me/formation');
    expect(formation.response.status).toBe(200);
    expect(formation.data).toMatchObject({ legal_name: 'Seeds LLC', state_of_formation: 'DE' });
    const catalog = await api.GET('/v1/me/assessments/catalog');
    expect(catalog.response.status).toBe(200);
  });

  it('sends query parameters and gives errors back in the documented shape', async () => {
    const api = await signedIn();
    const refused = await api.PUT('/v1/me/formation', { body: { state_of_formation: 'Atlantis' as never } });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({ error: { code: 'validation_failed' } });
    const anonymous = createApiClient({ baseUrl: gateway.url });
    const unauthorized = await anonymous.GET('/v1/me');
    expect(unauthorized.response.status).toBe(401);
    expect(unauthorized.response.headers.get('www-authenticate')).toContain('Bearer');
    // A query parameter, typed by the document: this session ends, and its token is refused at once.
    const out = await api.POST('/auth/v1/logout', { params: { query: { scope: 'local' } } });
    expect(out.response.status).toBe(204);
    expect((await api.GET('/v1/me')).response.status).toBe(401);
  });
});
