/** The password tools/demo.ts signs its founder up with. */
export const DEMO_PASSWORD = 'demo passphrase 1';

type Row = Record<string, unknown>;

/** The gateway's API as one founder, signed in with a password; an answer that is not 2xx throws with its body. */
export function founderApi(gatewayUrl: string) {
  let token = '';
  const call = async (path: string, init: RequestInit = {}): Promise<Row> => {
    const response = await fetch(`${gatewayUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    const body = (await response.json()) as Row;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    async signIn(email: string, password = DEMO_PASSWORD) {
      const session = await call('/auth/v1/token?grant_type=password', { method: 'POST', body: JSON.stringify({ email, password }) });
      token = String(session.access_token);
    },
    get: (path: string) => call(path),
    post: (path: string, body: unknown = {}) => call(path, { method: 'POST', body: JSON.stringify(body) }),
  };
}

/** What tools/demo.ts leaves behind, read back through the API as its founder: four calls, the Dream DNA, paid. */
export async function expectPaidFounder(api: ReturnType<typeof founderApi>, selectedDomain: string | undefined): Promise<void> {
  expect(await api.get('/v1/me')).toMatchObject({
    call_1_completed: true,
    call_4_completed: true,
    current_call_stage: 5,
    status: 'paid',
    payment_status: 'paid',
    amount_paid: 19900,
    entity_type: 'llc',
    state_of_operation: 'TX',
  });
  const calls = (await api.get('/v1/me/calls')).calls as Row[];
  expect(calls.map((call) => [call.call_stage, call.status]).sort()).toEqual([[1, 'ended'], [2, 'ended'], [3, 'ended'], [4, 'ended']]);
  expect(await api.get('/v1/me/dream-dna')).toMatchObject({ selected_domain: selectedDomain, brand_vibe: 'friendly', price_level: 'mid-market' });
}
