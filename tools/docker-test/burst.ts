/**
 * A burst of webhooks (every event delivered twice, as VAPI does on retries) while one voice container is
 * `docker kill`ed: every accepted event is stored exactly once in voice.webhook_logs and processed, each call has one
 * session and one transcript, and both voice containers took a share of the queue.
 */
import { randomBytes } from 'node:crypto';
import { waitFor } from '@dreamseed/testing';
import { check, containers, must, POLL_MS, run, say, seconds, short, sql, type ContainerState, type Stack } from './harness';

const BURST_CALLS = Number(process.env.DOCKER_TEST_BURST_CALLS ?? 50);

interface BurstEvent {
  key: string;
  body: Record<string, unknown>;
}

function burstEvents(runId: string): BurstEvent[] {
  const events: BurstEvent[] = [];
  for (let i = 0; i < BURST_CALLS; i++) {
    const call = { id: `burst-${runId}-${i}`, orgId: 'docker-test', type: 'inboundPhoneCall' };
    const customer = { number: `+1555${String(i).padStart(7, '0')}` };
    for (const status of ['ringing', 'in-progress', 'ended']) {
      events.push({ key: `status-update|${call.id}|${status}`, body: { type: 'status-update', status, call, customer, timestamp: Date.now() } });
    }
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    events.push({
      key: `end-of-call-report|${call.id}`,
      body: {
        type: 'end-of-call-report',
        endedReason: 'customer-ended-call',
        call,
        customer,
        startedAt,
        endedAt: new Date().toISOString(),
        artifact: {
          transcript: 'AI: Hello.\nUser: Just testing the burst.',
          messages: [
            { role: 'bot', message: 'Hello.', secondsFromStart: 1, duration: 1000 },
            { role: 'user', message: 'Just testing the burst.', secondsFromStart: 3, duration: 2000 },
          ],
        },
        analysis: { summary: 'A burst call.' },
        timestamp: Date.now(),
      },
    });
  }
  return events;
}

export async function burstWithKill(stack: Stack): Promise<void> {
  const runId = randomBytes(4).toString('hex');
  const events = burstEvents(runId);
  // Every event is delivered twice, as VAPI does on retries; the deliveries are shuffled and sent 16 at a time.
  const deliveries = [...events, ...events].map((event, i) => ({ event, order: (i * 7919) % (events.length * 2) })).sort((a, b) => a.order - b.order);
  const voice = (await containers(stack)).filter((c) => c.service === 'voice-service' && c.status === 'running');
  check(voice.length === 2, `expected two running voice containers, found ${voice.length}`);
  const victim = voice[0] as ContainerState;

  const accepted = new Set<string>();
  const refused: string[] = [];
  let sent = 0;
  let killed: Promise<unknown> | undefined;
  const killAt = Math.floor(deliveries.length / 4);
  const burstStarted = Date.now();
  let next = 0;
  const sender = async () => {
    while (next < deliveries.length) {
      const { event } = deliveries[next++] as (typeof deliveries)[number];
      if (sent === killAt && !killed) {
        say(`burst: docker kill ${victim.name} after ${sent} deliveries`);
        killed = must('docker', ['kill', victim.id], { timeoutMs: 30_000 });
      }
      sent++;
      try {
        const response = await fetch(`${stack.gatewayUrl}/webhooks/vapi`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-vapi-secret': stack.webhookSecret },
          body: JSON.stringify({ message: event.body }),
          signal: AbortSignal.timeout(15_000),
        });
        if (response.ok) accepted.add(event.key);
        else refused.push(`${event.key}: ${response.status}`);
        await response.body?.cancel();
      } catch (error) {
        refused.push(`${event.key}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, sender));
  await killed;
  say(`burst: sent ${sent} deliveries of ${events.length} distinct events in ${seconds(burstStarted)}; accepted ${accepted.size} distinct events, ${refused.length} deliveries refused`);
  if (refused.length) say(`  refused: ${refused.slice(0, 5).join('; ')}`);
  check(accepted.size === events.length, `the gateway accepted ${accepted.size} of ${events.length} events (it was not the container killed)`);

  // Jobs the killed worker held come back when their lock runs out (BullMQ's stalled check, about 30-60 s).
  const like = `'burst-${runId}-%'`;
  const waitStarted = Date.now();
  const processed = await waitFor(
    async () => {
      const [[count = '0'] = []] = await sql(stack, `select count(*) from voice.webhook_logs where vapi_call_id like ${like} and status = 'processed'`);
      // The count as text: "0" still counts as an answer.
      return Number(count) >= accepted.size && count;
    },
    'every accepted burst event processed',
    180_000,
    POLL_MS,
  );
  say(`burst: ${processed} events processed ${seconds(waitStarted)} after the last delivery`);

  const logged = await sql(stack, `select event_key, status, count(*) over (partition by event_key) from voice.webhook_logs where vapi_call_id like ${like}`);
  const stored = new Map(logged.map(([key = '', status = '', copies = '0']) => [key, { status, copies: Number(copies) }]));
  const missing = [...accepted].filter((key) => stored.get(key)?.status !== 'processed');
  const doubled = [...stored].filter(([, row]) => row.copies !== 1).map(([key]) => key);
  const unexpected = [...stored.keys()].filter((key) => !accepted.has(key));
  const [[sessions = '0', ended = '0'] = []] = await sql(stack, `select count(*), count(*) filter (where status = 'ended') from voice.call_sessions where vapi_call_id like ${like}`);
  const [[transcripts = '0', calls = '0'] = []] = await sql(
    stack,
    `select count(*), count(distinct s.vapi_call_id) from voice.transcripts t join voice.call_sessions s on s.id = t.call_session_id where s.vapi_call_id like ${like}`,
  );
  say(`burst: stored ${logged.length} webhook_logs rows for ${accepted.size} accepted events (${missing.length} missing or unprocessed, ${doubled.length} doubled, ${unexpected.length} unexpected)`);
  say(`burst: ${sessions} call sessions (${ended} ended) and ${transcripts} transcripts for ${BURST_CALLS} calls`);
  check(!missing.length && !doubled.length && !unexpected.length && logged.length === accepted.size, `not exactly once: missing ${missing.slice(0, 3).join(', ')}; doubled ${doubled.slice(0, 3).join(', ')}`);
  check(Number(sessions) === BURST_CALLS && Number(ended) === BURST_CALLS, `expected ${BURST_CALLS} ended call sessions, found ${sessions} (${ended} ended)`);
  check(Number(transcripts) === BURST_CALLS && Number(calls) === BURST_CALLS, `expected one transcript per call, found ${transcripts} for ${calls} calls`);

  // Both voice containers took their share of the queue (the killed one until it died).
  const handled = await Promise.all(
    voice.map(async (c) => {
      const logs = await run('docker', ['logs', c.id], { timeoutMs: 60_000 });
      return { name: short(c.name), events: (logs.stdout + logs.stderr).split('"msg":"vapi event handled"').length - 1 };
    }),
  );
  say(`burst: events handled per voice container (journey and burst): ${handled.map((h) => `${h.name} ${h.events}`).join(', ')}`);
  check(handled.every((h) => h.events > 0), 'a voice container handled no event: the work was not shared');

  // `docker kill` counts as stopped by hand: the restart policy leaves it; `up -d` brings the scale back.
  const afterKill = (await containers(stack)).find((c) => c.id === victim.id);
  say(`burst: the killed container is ${afterKill?.status ?? 'gone'} (restarts ${afterKill?.restarts ?? '?'})`);
}
