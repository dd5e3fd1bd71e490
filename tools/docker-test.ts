/**
 * `npm run test:docker`: the platform as containers on a real Docker engine.
 *
 *  1. the engine and the base images: `../shared/tools/docker-offline up` and `images` when that tool is beside the
 *     clone (CI, the offline machines); else whatever engine `docker info` reaches. No engine: the run fails with
 *     the reason, it never passes without running. docker-compose 1.29 or the `docker compose` plugin.
 *  2. the stack: `docker-compose build`, then `up -d` with two voice and two analysis containers, under its own
 *     project name and with its own env file (.env.example plus a free gateway port and fresh secrets), until every
 *     container is healthy.
 *  3. the founder's journey: sign-up and the call simulator's four calls into the gateway container; the profile
 *     and the Dream DNA read back through the API.
 *  4. a burst of webhooks (every event delivered twice) while one voice container is `docker kill`ed: every
 *     accepted event is stored exactly once in voice.webhook_logs and processed; each call has one session and one
 *     transcript; the restart policy brings a crashed container back.
 *  5. `down -v`, whatever happened.
 *  6. testcontainers: an integration suite run with DREAMSEED_TEST_CONTAINERS=1, so that its Postgres and Redis
 *     are containers the test setup starts on this engine.
 * It prints what it sent, accepted and stored, and how long the build and the start took.
 * Knobs: DOCKER_TEST_PROJECT (compose project, default dreamseed-dockertest), DOCKER_TEST_BURST_CALLS (50 calls,
 * four events each), DOCKER_OFFLINE_TOOL (default ../shared/tools/docker-offline).
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, simulateConsultation } from '@dreamseed/testing';

const root = path.resolve(__dirname, '..');
const project = process.env.DOCKER_TEST_PROJECT ?? 'dreamseed-dockertest';
const offlineTool = process.env.DOCKER_OFFLINE_TOOL ?? path.resolve(root, '../shared/tools/docker-offline');
const BURST_CALLS = Number(process.env.DOCKER_TEST_BURST_CALLS ?? 50);
const APP_SERVICES: Record<string, number> = { gateway: 1, 'voice-service': 2, 'analysis-service': 2, 'domain-service': 1, 'billing-service': 1 };

const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const say = (line: string) => process.stdout.write(`[docker-test ${seconds(started).padStart(7)}] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function check(ok: unknown, problem: string): asserts ok {
  if (!ok) throw new Error(problem);
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, or kills it at the deadline. Output is kept, and streamed when asked. */
function run(command: string, args: string[], options: { timeoutMs: number; env?: NodeJS.ProcessEnv; stream?: boolean }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.stream) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.stream) process.stderr.write(chunk);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took longer than ${options.timeoutMs / 1000} s\n${tail(stdout + stderr)}`));
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command} could not run: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const tail = (text: string, lines = 15) => text.trim().split('\n').slice(-lines).join('\n');

async function must(command: string, args: string[], options: { timeoutMs: number; env?: NodeJS.ProcessEnv; stream?: boolean }): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${tail(result.stdout + result.stderr)}`);
  return result.stdout;
}

// --- 1. the engine -------------------------------------------------------------------------------------------

async function engine(): Promise<void> {
  if (existsSync(offlineTool)) {
    say(`engine and base images through ${path.relative(root, offlineTool)} (up, images)`);
    for (const step of ['up', 'images']) {
      const result = await run(offlineTool, [step], { timeoutMs: 15 * 60_000 });
      if (result.code !== 0) throw new Error(`the Docker engine could not be started (docker-offline ${step} exited ${result.code}):\n${tail(result.stdout + result.stderr)}`);
    }
  }
  const info = await run('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 30_000 }).catch((error: Error) => ({ code: -1, stdout: '', stderr: error.message }));
  if (info.code !== 0) {
    throw new Error(`no Docker engine answers (${tail(info.stderr, 3) || `docker exited ${info.code}`}); start one, or put the shared tools beside the clone (../shared/tools/docker-offline)`);
  }
  // docker-compose 1.29 (what CI has), else the Compose plugin (`docker compose`) of newer engines.
  for (const candidate of [['docker-compose'], ['docker', 'compose']]) {
    const [command = '', ...args] = candidate;
    const version = await run(command, [...args, 'version', '--short'], { timeoutMs: 30_000 }).catch(() => undefined);
    if (version?.code === 0) {
      composeCommand = candidate;
      say(`Docker engine ${info.stdout.trim()}, ${candidate.join(' ')} ${version.stdout.trim()}`);
      return;
    }
  }
  throw new Error('neither docker-compose nor the docker compose plugin is installed');
}

// --- 2. the stack ----------------------------------------------------------------------------------------------

interface Stack {
  envFile: string;
  gatewayUrl: string;
  webhookSecret: string;
  postgresUser: string;
  postgresDb: string;
}

/** .env.example with a free gateway port, fresh secrets and sign-ups confirmed at once (the API journey needs a session). */
async function writeEnvFile(dir: string): Promise<Stack> {
  const port = await freePort();
  const secret = (bytes: number) => randomBytes(bytes).toString('base64url');
  const overrides: Record<string, string> = {
    GATEWAY_PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    INTERNAL_API_SECRET: secret(24),
    JWT_SECRET: secret(48),
    PAYLOAD_ENCRYPTION_KEY: secret(48),
    POSTGRES_PASSWORD: secret(18),
    VAPI_WEBHOOK_SECRET: secret(24),
    AUTH_AUTOCONFIRM: 'true',
    ANALYSIS_PROVIDER: 'offline',
    // The stack runs with NODE_ENV=production, where payments without Stripe must be asked for by name.
    BILLING_PROVIDER: 'local',
    LOG_LEVEL: 'info',
  };
  const lines = readFileSync(path.join(root, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => !Object.keys(overrides).some((key) => line.startsWith(`${key}=`)));
  const envFile = path.join(dir, 'docker-test.env');
  writeFileSync(envFile, [...lines, ...Object.entries(overrides).map(([key, value]) => `${key}=${value}`)].join('\n') + '\n');
  const example = Object.fromEntries(lines.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return {
    envFile,
    gatewayUrl: `http://127.0.0.1:${port}`,
    webhookSecret: overrides.VAPI_WEBHOOK_SECRET as string,
    postgresUser: example.POSTGRES_USER || 'dreamseed',
    postgresDb: example.POSTGRES_DB || 'dreamseed',
  };
}

let composeCommand = ['docker-compose'];
/** A container's name without the project (docker-compose 1 joins with _, the plugin with -). */
const short = (name: string) => name.replace(new RegExp(`^${project}[_-]`), '');

/** docker-compose for this run's project, reading only its env file: nothing from the caller's shell or .env leaks in. */
function composeEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'TMPDIR'];
  return Object.fromEntries(keep.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]]));
}

function compose(stack: Stack, args: string[], timeoutMs: number, stream = false): Promise<string> {
  const [command = '', ...prefix] = composeCommand;
  return must(command, [...prefix, '-p', project, '-f', path.join(root, 'docker-compose.yml'), '--env-file', stack.envFile, ...args], {
    timeoutMs,
    env: composeEnv(),
    stream,
  });
}

interface ContainerState {
  id: string;
  name: string;
  service: string;
  status: string;
  health: string;
  exitCode: number;
  restarts: number;
}

async function containers(stack: Stack): Promise<ContainerState[]> {
  const ids = (await compose(stack, ['ps', '-q'], 60_000)).split('\n').filter(Boolean);
  if (!ids.length) return [];
  const format = '{{.Id}}|{{.Name}}|{{index .Config.Labels "com.docker.compose.service"}}|{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}|{{.State.ExitCode}}|{{.RestartCount}}';
  const out = await must('docker', ['inspect', '--format', format, ...ids], { timeoutMs: 30_000 });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id = '', name = '', service = '', status = '', health = '', exitCode = '0', restarts = '0'] = line.split('|');
      return { id, name: name.replace(/^\//, ''), service, status, health, exitCode: Number(exitCode), restarts: Number(restarts) };
    });
}

/** Every app container healthy in the expected numbers, Postgres and Redis healthy, the migration done. */
async function waitHealthy(stack: Stack, timeoutMs: number): Promise<ContainerState[]> {
  const deadline = Date.now() + timeoutMs;
  let last: ContainerState[] = [];
  for (;;) {
    last = await containers(stack);
    const of = (service: string) => last.filter((c) => c.service === service);
    const migrate = of('migrate');
    if (migrate.some((c) => c.status === 'exited' && c.exitCode !== 0)) throw new Error('the migrate container failed');
    const ready =
      ['postgres', 'redis'].every((s) => of(s).length === 1 && of(s)[0]?.health === 'healthy') &&
      migrate.every((c) => c.status === 'exited' && c.exitCode === 0) &&
      Object.entries(APP_SERVICES).every(([s, n]) => of(s).length === n && of(s).every((c) => c.status === 'running' && c.health === 'healthy'));
    if (ready) return last;
    if (Date.now() > deadline) {
      throw new Error(`the stack was not healthy within ${timeoutMs / 1000} s:\n${last.map((c) => `  ${c.name}: ${c.status}/${c.health}`).join('\n')}`);
    }
    await sleep(2000);
  }
}

/** A query as the Postgres container's superuser; rows as arrays of columns (tab-separated: event keys hold `|`). */
async function sql(stack: Stack, query: string): Promise<string[][]> {
  const out = await compose(stack, ['exec', '-T', 'postgres', 'psql', '-U', stack.postgresUser, '-d', stack.postgresDb, '-v', 'ON_ERROR_STOP=1', '-tA', '-F', '\t', '-c', query], 60_000);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'));
}

// --- 3. the journey --------------------------------------------------------------------------------------------

async function api<T>(stack: Stack, route: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.gatewayUrl}${route}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

async function journey(stack: Stack): Promise<{ token: string; userId: string }> {
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
  const code = await until('the phone code in the outbox', 30_000, async () => {
    const [[body] = []] = await sql(stack, `select body from auth.mail_outbox where recipient = '${phone}' and kind = 'phone_change_token' and status = 'written'`);
    return /Your code: (\d{6})/.exec(body ?? '')?.[1];
  });
  const confirmed = await api(stack, '/auth/v1/verify', { method: 'POST', body: JSON.stringify({ type: 'phone_change', phone, token: code }) });
  check(confirmed.status === 200, `the phone code was refused (status ${confirmed.status})`);

  const callStarted = Date.now();
  const { callIds, eventsSent } = await simulateConsultation({
    gatewayUrl: stack.gatewayUrl,
    webhookSecret: stack.webhookSecret,
    phone,
    afterCall: async (stage) => {
      await until(`call ${stage} on the founder's profile`, 60_000, async () => {
        const profile = await api<Record<string, unknown>>(stack, '/v1/me', { token });
        return profile.body[`call_${stage}_completed`] === true ? true : undefined;
      });
    },
  });
  const profile = await until('the profile at analysis_ready', 90_000, async () => {
    const me = await api<Record<string, unknown>>(stack, '/v1/me', { token });
    return me.body.status === 'analysis_ready' ? me.body : undefined;
  });
  const dna = await api<Record<string, unknown>>(stack, '/v1/me/dream-dna', { token });
  say(`journey: four calls played and analysed in ${seconds(callStarted)}`);
  const expected: [string, unknown, unknown][] = [
    ['profile.status', profile.status, 'analysis_ready'],
    ['profile.current_call_stage', profile.current_call_stage, 5],
    ['profile.call_4_completed', profile.call_4_completed, true],
    ['profile.entity_type', profile.entity_type, 'llc'],
    ['profile.state_of_operation', profile.state_of_operation, 'TX'],
    ['dreamDna (status)', dna.status, 200],
    ['dreamDna.brandVibe', dna.body.brandVibe, 'friendly'],
    ['dreamDna.colorPreference', dna.body.colorPreference, 'minimal'],
    ['dreamDna.priceLevel', dna.body.priceLevel, 'mid-market'],
  ];
  for (const [field, actual, want] of expected) {
    say(`  ${field}: ${String(actual)}`);
    check(actual === want, `${field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(want)}`);
  }
  say(`  dreamDna.whatProblem: ${String(dna.body.whatProblem)}`);
  check(/bakeries/i.test(String(dna.body.whatProblem)), 'the Dream DNA names no problem about bakeries');

  // 4 calls, each an assistant-request answered by the voice service and the events VAPI sends of a call.
  const list = callIds.map((id) => `'${id}'`).join(',');
  const [[rows = '0', processed = '0'] = []] = await sql(stack, `select count(*), count(*) filter (where status = 'processed') from voice.webhook_logs where vapi_call_id in (${list})`);
  say(`journey: 4 assistant-requests answered, ${eventsSent} events accepted; stored ${rows} events, ${processed} processed`);
  const all = String(eventsSent);
  check(rows === all && processed === all, `the journey's ${all} events: ${rows} stored, ${processed} processed`);
  return { token, userId };
}

// --- 4. the burst, with a voice container killed ---------------------------------------------------------------

interface BurstEvent {
  key: string;
  body: Record<string, unknown>;
}

function burstEvents(run: string): BurstEvent[] {
  const events: BurstEvent[] = [];
  for (let i = 0; i < BURST_CALLS; i++) {
    const call = { id: `burst-${run}-${i}`, orgId: 'docker-test', type: 'inboundPhoneCall' };
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

async function burstWithKill(stack: Stack): Promise<void> {
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
  const processed = await until('every accepted burst event processed', 180_000, async () => {
    const [[count = '0'] = []] = await sql(stack, `select count(*) from voice.webhook_logs where vapi_call_id like ${like} and status = 'processed'`);
    return Number(count) >= accepted.size ? Number(count) : undefined;
  });
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

/** A crash (the app's process killed inside the container) is brought back by the restart policy. */
async function crashRestart(stack: Stack): Promise<void> {
  const victim = (await containers(stack)).find((c) => c.service === 'voice-service' && c.status === 'running');
  check(victim, 'no running voice container to crash');
  const crashed = Date.now();
  // SIGKILL to the app's node process (not PID 1, the init): to the engine, the container died on its own.
  const killApp = `const fs=require('fs');for(const p of fs.readdirSync('/proc')){if(/^[0-9]+$/.test(p)&&+p!==process.pid&&fs.readFileSync('/proc/'+p+'/cmdline','utf8').includes('dist/apps/'))process.kill(+p,'SIGKILL')}`;
  await run('docker', ['exec', victim.id, 'node', '-e', killApp], { timeoutMs: 30_000 });
  await until(`${victim.name} restarted and healthy`, 120_000, async () => {
    const now = (await containers(stack)).find((c) => c.id === victim.id);
    return now && now.restarts > victim.restarts && now.status === 'running' && now.health === 'healthy' ? now : undefined;
  });
  say(`restart: ${victim.name} crashed (node killed) and came back healthy in ${seconds(crashed)}`);
}

// --- 6. testcontainers ----------------------------------------------------------------------------------------

async function testcontainers(): Promise<void> {
  const env = { ...process.env, DREAMSEED_TEST_CONTAINERS: '1', DATABASE_URL: undefined, REDIS_URL: undefined, DREAMSEED_TEST_INFRA: undefined };
  const suite = 'apps/voice-service/src/jobs/vapi-event.int-spec.ts';
  const jest = path.join(root, 'node_modules/.bin/jest');
  const labelled = async () =>
    (await must('docker', ['ps', '-aq', '--filter', 'label=org.testcontainers=true'], { timeoutMs: 30_000 })).split('\n').filter(Boolean);
  const already = new Set(await labelled());
  const before = Date.now();
  const result = await run(jest, ['-c', 'apps/voice-service/jest.config.js', suite], { timeoutMs: 10 * 60_000, env });
  const output = result.stdout + result.stderr;
  const line = output.split('\n').find((l) => l.includes('test infrastructure: testcontainers'));
  check(result.code === 0, `the suite on testcontainers failed (exit ${result.code}):\n${tail(output, 30)}`);
  check(line, `the suite passed but did not run on testcontainers:\n${tail(output, 10)}`);
  say(`testcontainers: ${line.trim()}`);
  say(`testcontainers: ${suite} passed in ${seconds(before)} (${tail(output.split('\n').filter((l) => /^Tests:/.test(l)).join('\n'), 1)})`);
  const left = (await labelled()).filter((id) => !already.has(id));
  check(!left.length, `the test setup left ${left.length} testcontainers behind: ${left.join(', ')}`);
}

// --- the run -----------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const failures: string[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dreamseed-docker-test-'));
  try {
    await engine();
  } catch (error) {
    process.stderr.write(`\ntest:docker FAILED: ${(error as Error).message}\n`);
    process.exit(1);
  }

  const stack = await writeEnvFile(dir);
  const timings: string[] = [];
  // Ctrl-C or a CI timeout: the stack goes down all the same.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: down -v before exiting`);
      void compose(stack, ['down', '-v', '--remove-orphans'], 3 * 60_000)
        .catch(() => undefined)
        .finally(() => process.exit(130));
    });
  }
  try {
    await compose(stack, ['down', '-v', '--remove-orphans'], 120_000); // leftovers of an interrupted run
    let t = Date.now();
    say(`build: ${composeCommand.join(' ')} -p ${project} build`);
    await compose(stack, ['build'], 20 * 60_000);
    timings.push(`build ${seconds(t)}`);
    say(`build: done in ${seconds(t)}`);
    // The built image's name: <project>_gateway (docker-compose 1) or <project>-gateway (the plugin).
    const inspect = (name: string) => run('docker', ['image', 'inspect', '--format', '{{.Id}}|{{.Size}}', name], { timeoutMs: 30_000 });
    let built = await inspect(`${project}_gateway`);
    if (built.code !== 0) built = await inspect(`${project}-gateway`);
    check(built.code === 0, `the built gateway image is not there: ${tail(built.stderr, 2)}`);
    const [image = '', bytes = '0'] = built.stdout.trim().split('|');
    const base = Number((await must('docker', ['image', 'inspect', '--format', '{{.Size}}', 'node:20-bookworm-slim'], { timeoutMs: 30_000 })).trim());
    const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
    say(`build: app image ${image.slice(7, 19)} ${mb(Number(bytes))} (node:20-bookworm-slim ${mb(base)}, +${mb(Number(bytes) - base)})`);

    t = Date.now();
    say(`start: up -d --scale voice-service=2 --scale analysis-service=2 (gateway on ${stack.gatewayUrl})`);
    await compose(stack, ['up', '-d', '--no-build', '--scale', 'voice-service=2', '--scale', 'analysis-service=2'], 5 * 60_000);
    const healthy = await waitHealthy(stack, 4 * 60_000);
    timings.push(`start to healthy ${seconds(t)}`);
    say(`start: ${healthy.length} containers healthy (or done) in ${seconds(t)}: ${healthy.map((c) => short(c.name)).join(', ')}`);

    await journey(stack);
    await burstWithKill(stack);
    t = Date.now();
    await compose(stack, ['up', '-d', '--no-build', '--scale', 'voice-service=2', '--scale', 'analysis-service=2'], 5 * 60_000);
    await waitHealthy(stack, 3 * 60_000);
    say(`restart: up -d brought the stack back to two healthy voice containers in ${seconds(t)}`);
    await crashRestart(stack);
  } catch (error) {
    failures.push(`stack: ${(error as Error).message}`);
    const logs = await compose(stack, ['logs', '--no-color', '--tail', '30'], 60_000).catch(() => '');
    process.stderr.write(`\n--- last log lines ---\n${tail(logs, 120)}\n`);
  } finally {
    const t = Date.now();
    await compose(stack, ['down', '-v', '--remove-orphans'], 3 * 60_000).catch((error: Error) => failures.push(`down -v: ${error.message}`));
    const left = await compose(stack, ['ps', '-q'], 60_000).catch(() => '');
    if (left.trim()) failures.push(`down -v left containers behind: ${left.trim().split('\n').join(', ')}`);
    say(`down -v in ${seconds(t)}`);
    rmSync(dir, { recursive: true, force: true });
  }

  try {
    await testcontainers();
  } catch (error) {
    failures.push(`testcontainers: ${(error as Error).message}`);
  }

  say(`timings: ${timings.join(', ')}; whole run ${seconds(started)}`);
  if (failures.length) {
    process.stderr.write(`\ntest:docker FAILED\n${failures.map((f) => `- ${f}`).join('\n')}\n`);
    process.exit(1);
  }
  say('test:docker passed');
}

main().catch((error) => {
  process.stderr.write(`\ntest:docker FAILED: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
