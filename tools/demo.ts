/**
 * `npm run demo`: a founder signs up and has the four consultation calls, played into the running platform
 * as VAPI would send them; their profile, calls and Dream DNA are printed; then they search for a domain, select
 * one and pay for the standard formation package (the local provider when Stripe is not configured). Start the platform first
 * (`npm start`) and pass the webhook secret it printed: VAPI_WEBHOOK_SECRET=… npm run demo.
 */
import { randomUUID } from 'node:crypto';
import { simulateConsultation, sleep, waitFor } from '@dreamseed/testing';

const gatewayUrl = process.env.GATEWAY_URL ?? `http://localhost:${process.env.PORT ?? 8080}`;
const webhookSecret = process.env.VAPI_WEBHOOK_SECRET;

async function api<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
}

async function main() {
  if (!webhookSecret) throw new Error('Set VAPI_WEBHOOK_SECRET to the value `npm start` printed (or the one you configured).');
  const email = `demo-${randomUUID().slice(0, 8)}@example.com`;
  const phone = `+1512${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const signUp = await api<{ access_token?: string; user?: { phone_confirmed_at?: string } }>('/auth/v1/signup', {
    method: 'POST',
    body: JSON.stringify({ email, password: 'demo passphrase 1', data: { full_name: 'Dana Demo', phone } }),
  });
  const token = signUp.body.access_token;
  if (!token) throw new Error(`sign-up gave no session (status ${signUp.status}): is AUTH_AUTOCONFIRM on? npm start turns it on.`);
  // The calls find the founder by number only once it is confirmed; the demo cannot read a texted code.
  if (!signUp.body.user?.phone_confirmed_at) {
    throw new Error('the founder\'s phone is waiting for its texted code: run the demo against npm start (AUTH_PHONE_AUTOCONFIRM is on there).');
  }
  process.stdout.write(`Founder ${email} (${phone}) signed up.\n`);

  await simulateConsultation({
    gatewayUrl,
    webhookSecret,
    phone,
    afterCall: async (stage) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const profile = await api<Record<string, unknown>>('/v1/me', { token });
        if (profile.body[`call_${stage}_completed`] === true) break;
        if (Date.now() > deadline) throw new Error(`call ${stage} was not recorded on the profile within 30 s`);
        await sleep(200);
      }
      process.stdout.write(`Call ${stage} done.\n`);
    },
  });

  // The analysis of the fourth call makes the profile analysis_ready.
  const deadline = Date.now() + 30_000;
  let profile = await api<Record<string, unknown>>('/v1/me', { token });
  while (profile.body.status !== 'analysis_ready') {
    if (Date.now() > deadline) throw new Error(`the analysis was not ready within 30 s (status ${String(profile.body.status)})`);
    await sleep(200);
    profile = await api<Record<string, unknown>>('/v1/me', { token });
  }
  const calls = await api<{ calls: { call_stage: number; status: string; duration_seconds: number | null; summary: string | null }[] }>('/v1/me/calls', { token });
  const dreamDna = await api<Record<string, unknown>>('/v1/me/dream-dna', { token });
  const analyses = await api<{ analyses: { status: string; provider: string; latency_ms: number | null }[] }>('/v1/me/analyses', { token });
  const fields = ['customer_name', 'status', 'current_call_stage', 'call_1_completed', 'call_2_completed', 'call_3_completed', 'call_4_completed', 'next_call_scheduled', 'business_name', 'entity_type', 'state_of_operation', 'urgency_level', 'timeline', 'package_preference'];
  process.stdout.write('\nProfile:\n');
  for (const field of fields) process.stdout.write(`  ${field}: ${String(profile.body[field])}\n`);
  process.stdout.write('\nCalls:\n');
  for (const call of [...calls.body.calls].reverse()) {
    process.stdout.write(`  stage ${call.call_stage}: ${call.status}, ${call.duration_seconds ?? '?'} s, ${call.summary ?? ''}\n`);
  }
  process.stdout.write('\nDream DNA:\n');
  for (const field of ['version', 'what_problem', 'who_serves', 'how_different', 'primary_service', 'brand_vibe', 'color_preference', 'price_level']) {
    process.stdout.write(`  ${field}: ${String(dreamDna.body[field])}\n`);
  }
  process.stdout.write(`\nAnalyses: ${analyses.body.analyses.map((a) => `${a.status} (${a.provider}, ${a.latency_ms ?? '?'} ms)`).join(', ')}\n`);

  const domain = await chooseDomain(token);
  process.stdout.write(`\nDomain selected: ${domain}\n`);
  await until(token, (p) => p.status === 'domain_selected', 'the profile to show the domain');

  const checkout = await api<{ checkout_id?: string; url?: string }>('/v1/billing/checkout', { method: 'POST', token, body: JSON.stringify({ package_id: 'formation-standard' }) });
  if (!checkout.body.url) throw new Error(`checkout failed (${checkout.status}): ${JSON.stringify(checkout.body)}`);
  const confirmUrl = new URL(new URL(checkout.body.url).pathname, gatewayUrl);
  if (!confirmUrl.pathname.endsWith('/confirm')) {
    process.stdout.write(`Pay at ${checkout.body.url} (Stripe Checkout); the demo stops here.\n`);
    return;
  }
  // The founders' app confirms a local checkout with the founder signed in; the link alone pays nothing.
  const confirmed = await fetch(confirmUrl, { method: 'POST', headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
  if (confirmed.status !== 202) throw new Error(`the local checkout was not confirmed (${confirmed.status})`);
  const paid = await until(token, (p) => p.payment_status === 'paid' && p.status === 'paid', 'the payment to reach the profile');
  const finalDna = await api<Record<string, unknown>>('/v1/me/dream-dna', { token });
  process.stdout.write(
    `Paid: payment_status ${String(paid.payment_status)}, amount_paid ${String(paid.amount_paid)}, status ${String(paid.status)}\n` +
      `Dream DNA selected_domain: ${String(finalDna.body.selected_domain)}\n`,
  );
}

/** Waits until the profile passes `check`, for up to 30 s. */
function until(token: string, check: (profile: Record<string, unknown>) => boolean, what: string) {
  return waitFor(
    async () => {
      const profile = await api<Record<string, unknown>>('/v1/me', { token });
      return check(profile.body) && profile.body;
    },
    what,
    30_000,
    200,
  );
}

/** Searches names from the profile and Dream DNA, and selects the first free one the re-check confirms. */
async function chooseDomain(token: string): Promise<string> {
  type Search = { id: string; status: string; candidates?: { domain: string; available: boolean | null }[] };
  let search = (await api<Search>('/v1/domains/searches', { method: 'POST', token, body: JSON.stringify({ keywords: ['bakery'] }) })).body;
  const deadline = Date.now() + 30_000;
  while (search.status !== 'completed') {
    if (search.status === 'failed' || Date.now() > deadline) throw new Error(`the domain search did not complete: ${JSON.stringify(search).slice(0, 300)}`);
    await sleep(200);
    search = (await api<Search>(`/v1/domains/searches/${search.id}`, { token })).body;
  }
  const free = (search.candidates ?? []).filter((candidate) => candidate.available === true);
  process.stdout.write(`\nDomain search: ${search.candidates?.length ?? 0} names, ${free.length} free: ${free.slice(0, 5).map((c) => c.domain).join(', ')}\n`);
  for (const candidate of free) {
    let selection = await api<{ id?: string; status?: string }>('/v1/domains/selections', { method: 'POST', token, body: JSON.stringify({ domain: candidate.domain }) });
    while (selection.status === 202 || selection.body.status === 'pending') {
      await sleep(200);
      selection = await api(`/v1/domains/selections/${selection.body.id}`, { token });
    }
    if (selection.body.status === 'selected') return candidate.domain;
  }
  throw new Error('no free domain could be selected');
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${(error as Error).message}\n`);
  process.exit(1);
});
