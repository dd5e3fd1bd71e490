/**
 * What every scenario of `npm run test:docker` stands on: running commands with deadlines, the Docker engine and
 * Compose, the stack's env file, its containers and their health, SQL in the Postgres container, and the gateway's API.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, sleep } from '@dreamseed/testing';

export const root = path.resolve(__dirname, '../..');
export const project = process.env.DOCKER_TEST_PROJECT ?? 'dreamseed-dockertest';
const offlineTool = process.env.DOCKER_OFFLINE_TOOL ?? path.resolve(root, '../shared/tools/docker-offline');
const APP_SERVICES: Record<string, number> = { gateway: 1, 'voice-service': 2, 'analysis-service': 2, 'domain-service': 1, 'billing-service': 1 };

export const started = Date.now();
export const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
export const say = (line: string) => process.stdout.write(`[docker-test ${seconds(started).padStart(7)}] ${line}\n`);

export function check(ok: unknown, problem: string): asserts ok {
  if (!ok) throw new Error(problem);
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, or kills it at the deadline. Output is kept, and streamed when asked. */
export function run(command: string, args: string[], options: { timeoutMs: number; env?: NodeJS.ProcessEnv; stream?: boolean }): Promise<Result> {
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

export const tail = (text: string, lines = 15) => text.trim().split('\n').slice(-lines).join('\n');

export async function must(command: string, args: string[], options: { timeoutMs: number; env?: NodeJS.ProcessEnv; stream?: boolean }): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${tail(result.stdout + result.stderr)}`);
  return result.stdout;
}

/** The engine (through the offline tool when it is beside the clone) and the Compose command it answers to. */
export async function engine(): Promise<string[]> {
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
      say(`Docker engine ${info.stdout.trim()}, ${candidate.join(' ')} ${version.stdout.trim()}`);
      return candidate;
    }
  }
  throw new Error('neither docker-compose nor the docker compose plugin is installed');
}

export interface Stack {
  /** `docker-compose`, or `docker compose` (the plugin). */
  composeCommand: string[];
  envFile: string;
  gatewayUrl: string;
  webhookSecret: string;
  postgresUser: string;
  postgresDb: string;
}

/** .env.example with a free gateway port, fresh secrets and sign-ups confirmed at once (the API journey needs a session). */
export async function writeEnvFile(dir: string, composeCommand: string[]): Promise<Stack> {
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
    composeCommand,
    envFile,
    gatewayUrl: `http://127.0.0.1:${port}`,
    webhookSecret: overrides.VAPI_WEBHOOK_SECRET as string,
    postgresUser: example.POSTGRES_USER || 'dreamseed',
    postgresDb: example.POSTGRES_DB || 'dreamseed',
  };
}

/** A container's name without the project (docker-compose 1 joins with _, the plugin with -). */
export const short = (name: string) => name.replace(new RegExp(`^${project}[_-]`), '');

/** docker-compose for this run's project, reading only its env file: nothing from the caller's shell or .env leaks in. */
function composeEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'TMPDIR'];
  return Object.fromEntries(keep.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]]));
}

export function compose(stack: Stack, args: string[], timeoutMs: number, stream = false): Promise<string> {
  const [command = '', ...prefix] = stack.composeCommand;
  return must(command, [...prefix, '-p', project, '-f', path.join(root, 'docker-compose.yml'), '--env-file', stack.envFile, ...args], {
    timeoutMs,
    env: composeEnv(),
    stream,
  });
}

export interface ContainerState {
  id: string;
  name: string;
  service: string;
  status: string;
  health: string;
  exitCode: number;
  restarts: number;
}

export async function containers(stack: Stack): Promise<ContainerState[]> {
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
export async function waitHealthy(stack: Stack, timeoutMs: number): Promise<ContainerState[]> {
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
export async function sql(stack: Stack, query: string): Promise<string[][]> {
  const out = await compose(stack, ['exec', '-T', 'postgres', 'psql', '-U', stack.postgresUser, '-d', stack.postgresDb, '-v', 'ON_ERROR_STOP=1', '-tA', '-F', '\t', '-c', query], 60_000);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'));
}

/** A call to the gateway container's API, with the founder's session when given. */
export async function api<T>(stack: Stack, route: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.gatewayUrl}${route}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
}

/** How often a scenario polls the stack: a poll may run psql in the Postgres container. */
export const POLL_MS = 250;
