import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { INTERNAL_PATHS } from '@dreamseed/contracts';
import { startTestGateway, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';

/** The founder as a domain's registrant, for the domain service (the gateway's internal API). */
describe('GET /internal/founders/:id/registrant', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
  });
  afterAll(async () => {
    await gateway.stop();
  });

  const registrant = (profileId: string, token = 'internal-secret-for-tests') =>
    fetch(`${gateway.url}${INTERNAL_PATHS.gateway.registrantContact.replace(':id', profileId)}`, { headers: { 'x-internal-token': token } });

  it('answers name, email, phone in EPP form and the mailing address, or a 409 naming what is missing', async () => {
    const { token } = await gateway.signUp();
    const profileId = (decodeJwt(token).app_metadata as { profile_id: string }).profile_id;
    const incomplete = await registrant(profileId);
    expect(incomplete.status).toBe(409);
    expect(await incomplete.json()).toEqual({
      error: expect.objectContaining({
        code: 'registrant_incomplete',
        details: { missing: ['customer_name (first and last)', 'customer_phone', 'mailing_address or business_address'] },
      }),
    });

    // The number as the profile holds it once confirmed (this test writes it straight in; confirming is tested elsewhere).
    // A number of its own each run: the profile's numbers are unique, and earlier runs' founders stay in the database.
    const phone = uniquePhone();
    await gateway.pool.query(`update core.users set customer_name = 'Ada King Lovelace', customer_phone = $2, business_name = 'Ada Bakes' where id = $1`, [profileId, phone]);
    const put = await fetch(`${gateway.url}/v1/me/formation`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ business_address: { line1: '100 Congress Ave', line2: 'Suite 4', city: 'Austin', state: 'TX', postal_code: '78701' } }),
    });
    expect(put.status).toBe(200);

    const answer = await registrant(profileId);
    expect(answer.status).toBe(200);
    const { rows } = await gateway.pool.query('select customer_email from core.users where id = $1', [profileId]);
    expect(await answer.json()).toEqual({
      nameFirst: 'Ada',
      nameLast: 'King Lovelace',
      organization: 'Ada Bakes',
      email: rows[0].customer_email,
      phone: `+1.${phone.slice(2)}`,
      address: { address1: '100 Congress Ave', address2: 'Suite 4', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' },
    });
  });

  it('is for the services only, and knows no stranger', async () => {
    expect((await registrant(randomUUID(), 'guess')).status).toBe(401);
    expect((await registrant(randomUUID())).status).toBe(404);
    expect((await registrant('not-an-id')).status).toBe(404);
  });
});
