/**
 * `npm run compose:check`: checks docker-compose.yml, the Dockerfile and .env.example without a Docker engine.
 * It reads them as data and holds them to what the platform needs: every app and its dependencies present and
 * healthy-checked, Redis append-only with noeviction, services scalable (no fixed names or host ports), and
 * every configuration variable of every app documented in .env.example and docs/configuration.md. When the
 * docker-compose CLI is installed, its own `config` validation runs too (it needs no engine either).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { analysisConfigSchema } from '../apps/analysis-service/src/config';
import { billingConfigSchema } from '../apps/billing-service/src/config';
import { domainConfigSchema } from '../apps/domain-service/src/config';
import { gatewayConfigSchema } from '../apps/gateway/src/config';
import { voiceConfigSchema } from '../apps/voice-service/src/config';

const root = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: { context?: string; network?: string; args?: Record<string, string> };
  command?: string | string[];
  ports?: string[];
  container_name?: string;
  restart?: string;
  healthcheck?: unknown;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, unknown>;
}

const APPS = ['gateway', 'voice-service', 'analysis-service', 'domain-service', 'billing-service'];
const problems: string[] = [];
const expect = (ok: boolean, problem: string) => {
  if (!ok) problems.push(problem);
};

const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = compose.services ?? {};
// Comment lines may name what the file avoids; only instructions count.
const dockerfile = read('Dockerfile')
  .split('\n')
  .filter((line) => !line.trimStart().startsWith('#'))
  .join('\n');

for (const name of ['postgres', 'redis', 'migrate', ...APPS]) expect(name in services, `service ${name} is missing`);

expect(services.postgres?.image === 'postgres:15-bookworm', 'postgres must use postgres:15-bookworm');
expect(services.redis?.image === 'redis:7-bookworm', 'redis must use redis:7-bookworm');
const redisCommand = [services.redis?.command ?? []].flat().join(' ');
for (const option of ['--appendonly yes', '--appendfsync everysec', '--maxmemory-policy noeviction']) {
  expect(redisCommand.includes(option), `redis must run with ${option}`);
}
for (const name of ['postgres', 'redis']) expect(Boolean(services[name]?.healthcheck), `${name} needs a healthcheck`);

const migrate = services.migrate;
expect([migrate?.command ?? []].flat().join(' ').includes('dist/tools/migrate.js'), 'migrate must run dist/tools/migrate.js');
expect(migrate?.restart === 'no', 'migrate is one-shot: restart "no"');
expect(migrate?.depends_on?.postgres?.condition === 'service_healthy', 'migrate waits for a healthy postgres');

for (const app of APPS) {
  const service = services[app];
  if (!service) continue;
  expect(service.build?.args?.APP === app, `${app} must build with APP=${app}`);
  expect(service.build?.network === 'host', `${app} builds with network: host (the npm registry)`);
  expect(service.restart === 'unless-stopped' || service.restart === 'always', `${app} needs a restart policy`);
  expect(service.container_name === undefined, `${app} must not fix its container name (it would not scale)`);
  expect(service.depends_on?.migrate?.condition === 'service_completed_successfully', `${app} starts after migrate`);
  expect(Boolean(service.healthcheck) || dockerfile.includes('HEALTHCHECK'), `${app} needs a healthcheck`);
  // The apps default to loopback, which no other container (nor the published port) reaches.
  expect(service.environment?.HOST === '0.0.0.0', `${app} must listen on HOST 0.0.0.0`);
  if (app === 'gateway') {
    expect((service.ports ?? []).some((p) => String(p).endsWith(':8080') && String(p).includes('GATEWAY_PORT')), 'gateway publishes 8080 as ${GATEWAY_PORT:-8080}');
  } else {
    expect(service.ports === undefined, `${app} must not publish a host port (it would not scale)`);
  }
}

for (const base of ['node:20-bookworm-slim']) expect(dockerfile.includes(`FROM ${base}`), `the Dockerfile starts from ${base}`);
expect(!/RUN\s+--mount/.test(dockerfile) && !/<<\s*['"A-Z]/.test(dockerfile), 'the Dockerfile must work with the legacy builder');
expect(/USER node/.test(dockerfile) && /NODE_ENV=production/.test(dockerfile), 'the runtime runs as node with NODE_ENV=production');
expect(/exec node/.test(dockerfile), 'PID 1 must be node (exec), so that it receives SIGTERM');

// Every variable of every app, every variable compose substitutes: in .env.example and docs/configuration.md.
const envExample = read('.env.example');
const configurationDocs = read('docs/configuration.md');
const documented = new Set([...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
const appKeys = [gatewayConfigSchema, voiceConfigSchema, analysisConfigSchema, domainConfigSchema, billingConfigSchema].flatMap(
  (schema) => Object.keys(schema.shape),
);
const composeKeys = [...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] as string);
for (const key of new Set([...appKeys, ...composeKeys])) {
  expect(documented.has(key), `${key} is not in .env.example`);
  expect(configurationDocs.includes(`\`${key}\``), `${key} is not in docs/configuration.md`);
}

// With .env.example as the .env: the documented first run.
const cli = spawnSync('docker-compose', ['--env-file', '.env.example', '-f', 'docker-compose.yml', 'config', '-q'], { cwd: root, encoding: 'utf8' });
if (!cli.error) expect(cli.status === 0, `docker-compose config: ${cli.stderr.trim()}`);

if (problems.length) {
  process.stderr.write(`docker-compose.yml / Dockerfile / .env.example:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`compose check passed${cli.error ? ' (docker-compose CLI not installed: structural checks only)' : ' (and docker-compose config)'}\n`);
