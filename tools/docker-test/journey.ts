/**
 * The founder's journey on the stack: sign-up, the phone confirmed with the texted code, the call simulator's four
 * calls into the gateway container, then the profile and the Dream DNA read back through the API, and every event
 * of those calls stored once and processed.
 */
import { randomUUID } from 'node:crypto';
import { simulateConsultation, waitFor } from '@dreamseed/testing';
import { api, check, POLL_MS, say, seconds, sql, type Stack } from './harness';

export async function journey(stack: Stack): Promise<{ token: string; userId: string }> {
  const email = `docker-${randomUUID().slice(0, 8)}@example.com`;
  const phone = `+1512${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const signUp = await api<{ access_token?: string; user?: { id?: string } }>(stack, '/auth/v1/signup', {
    method: 'POST',
    body: JSON.stringify({ email, password: 'docker passphrase 1', data: { full_name: 'Dana Docker', phone } }),
  });
  const token = signUp.body.access_token;
  const userId = signUp.body.user?.id;
  check(token && userId, `sign-up gave no session (status ${signUp.status}): ${JSON.stringify(signUp.body).slice(0, 300)}`);
  // Calls from the number reach the founder only once its texted code comes back; without Twilio it is in the outbox.
  const code = await waitFor(
    async () => {
      const [[body] = []] = await sql(stack, `select body from auth.mail_outbox where recipient = '${phone}' and kind = 'phone_change_token' and status = 'written'`);
      return /Your code: (\d{6})/.exec(body ?? '')?.[1];
    },
    'the phone code in the outbox',
    30_000,
    POLL_MS,
  );
  const confirmed = await api(stack, '/auth/v1/verify', { method: 'POST', body: JSON.stringify({ type: 'phone_change', phone, token: code }) });
  check(confirmed.status === 200, `the phone code was refused (status ${confirmed.status})`);

  const callStarted = Date.now();
  const { callIds, eventsSent } = await simulateConsultation({
    gatewayUrl: stack.gatewayUrl,
    webhookSecret: stack.webhookSecret,
    phone,
    afterCall: async (stage) => {
      await waitFor(
        async () => {
          const profile = await api<Record<string, unknown>>(stack, '/v1/me', { token });
          return profile.body[`call_${stage}_completed`] === true;
        },
        `call ${stage} on the founder's profile`,
        60_000,
        POLL_MS,
      );
    },
  });
  const profile = await waitFor(
    async () => {
      const me = await api<Record<string, unknown>>(stack, '/v1/me', { token });
      return me.body.status === 'analysis_ready' && me.body;
    },
    'the profile at analysis_ready',
    90_000,
    POLL_MS,
  );
  const dna = await api<Record<string, unknown>>(stack, '/v1/me/dream-dna', { token });
  say(`journey: four calls played and analysed in ${seconds(callStarted)}`);
  const expected: [string, unknown, unknown][] = [
    ['profile.status', profile.status, 'analysis_ready'],
    ['profile.current_call_stage', profile.current_call_stage, 5],
    ['profile.call_4_completed', profile.call_4_completed, true],
    ['profile.entity_type', profile.entity_type, 'llc'],
    ['profile.state_of_operation', profile.state_of_operation, 'TX'],
    ['dreamDna (status)', dna.status, 200],
    ['dream_dna.brand_vibe', dna.body.brand_vibe, 'friendly'],
    ['dream_dna.color_preference', dna.body.color_preference, 'minimal'],
    ['dream_dna.price_level', dna.body.price_level, 'mid-market'],
  ];
  for (const [field, actual, want] of expected) {
    say(`  ${field}: ${String(actual)}`);
    check(actual === want, `${field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(want)}`);
  }
  say(`  dream_dna.what_problem: ${String(dna.body.what_problem)}`);
  check(/bakeries/i.test(String(dna.body.what_problem)), 'the Dream DNA names no problem about bakeries');

  // 4 calls, each an assistant-request answered by the voice service and the events VAPI sends of a call.
  const list = callIds.map((id) => `'${id}'`).join(',');
  const [[rows = '0', processed = '0'] = []] = await sql(stack, `select count(*), count(*) filter (where status = 'processed') from voice.webhook_logs where vapi_call_id in (${list})`);
  say(`journey: 4 assistant-requests answered, ${eventsSent} events accepted; stored ${rows} events, ${processed} processed`);
  const all = String(eventsSent);
  check(rows === all && processed === all, `the journey's ${all} events: ${rows} stored, ${processed} processed`);
  return { token, userId };
}
