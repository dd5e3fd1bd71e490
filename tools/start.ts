/**
 * `npm start`: the whole platform in one process. Each app keeps its own module, queue, schema and port;
 * only the process is shared. docs/configuration.md lists the variables it reads.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createLogger, DEVELOPMENT_JWT_SECRET, migrateAll, runMain, type AppHandle } from '@dreamseed/platform';
import { startAnalysisService } from '../apps/analysis-service/src/app';
import { loadAnalysisConfig } from '../apps/analysis-service/src/config';
import { startBillingService } from '../apps/billing-service/src/app';
import { loadBillingConfig } from '../apps/billing-service/src/config';
import { startDomainService } from '../apps/domain-service/src/app';
import { loadDomainConfig } from '../apps/domain-service/src/config';
import { startGateway } from '../apps/gateway/src/app';
import { signServiceRoleKey } from '../apps/gateway/src/auth/tokens';
import { loadGatewayConfig } from '../apps/gateway/src/config';
import { startVoiceService } from '../apps/voice-service/src/app';
import { loadVoiceConfig } from '../apps/voice-service/src/config';
import { InfrastructureError, resolveInfrastructure } from './infra';
import { buildWebAppIfStale } from './web-app';

const root = path.resolve(__dirname, '..');
const env = process.env;
const logger = createLogger({ service: 'launcher', version: env.npm_package_version ?? 'dev', level: env.LOG_LEVEL ?? 'info' });

const port = (name: string, fallback: number) => env[name] ?? String(fallback);
const ports = {
  gateway: port('PORT', 8080),
  voice: port('VOICE_SERVICE_PORT', 8081),
  analysis: port('ANALYSIS_SERVICE_PORT', 8082),
  domain: port('DOMAIN_SERVICE_PORT', 8083),
  billing: port('BILLING_SERVICE_PORT', 8084),
};

async function start(): Promise<AppHandle[]> {
  const webAppDir = env.WEB_APP_DIR ?? buildWebAppIfStale(root, logger);
  const infra = await resolveInfrastructure(env, path.join(root, '.data'));
  const adminPassword = env.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
  const vapiSecret = env.VAPI_WEBHOOK_SECRET ?? randomBytes(18).toString('base64url');
  const shared = {
    ...env,
    APP_VERSION: env.APP_VERSION ?? env.npm_package_version,
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    // The embedded PGlite is a single session underneath: keep each app's pool small.
    DATABASE_POOL_MAX: env.DATABASE_POOL_MAX ?? (infra.embeddedPostgres ? '2' : '5'),
    INTERNAL_API_SECRET: env.INTERNAL_API_SECRET ?? randomBytes(24).toString('base64url'),
  };
  try {
    // Migrations hold a session's advisory lock, which a transaction pooler would hand to other clients: behind
    // one, DATABASE_MIGRATION_URL names Postgres itself while the apps use the pooler's DATABASE_URL.
    await migrateAll(env.DATABASE_MIGRATION_URL || infra.databaseUrl, root, logger);
    const serviceUrl = (p: string) => `http://127.0.0.1:${p}`;
    // The gateway's issuer, whose tokens the services check.
    const issuer = env.JWT_ISSUER ?? `${env.PUBLIC_URL ?? 'http://localhost:8080'}/auth/v1`;
    const apps = await Promise.all([
      startVoiceService(
        loadVoiceConfig({
          ...shared,
          PORT: ports.voice,
          GATEWAY_URL: env.GATEWAY_URL ?? serviceUrl(ports.gateway),
          JWT_ISSUER: issuer,
          DOMAIN_SERVICE_URL: env.DOMAIN_SERVICE_URL ?? serviceUrl(ports.domain),
          // The gateway's address and webhook secret: written on the server objects of the assistants and tools
          // the voice service hands VAPI, so that VAPI's messages reach the gateway and pass its check.
          PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${ports.gateway}`,
          VAPI_WEBHOOK_SECRET: vapiSecret,
        }),
      ),
      startAnalysisService(
        loadAnalysisConfig({
          ...shared,
          PORT: ports.analysis,
          VOICE_SERVICE_URL: env.VOICE_SERVICE_URL ?? serviceUrl(ports.voice),
          JWT_ISSUER: issuer,
        }),
      ),
      startDomainService(
        loadDomainConfig({
          ...shared,
          PORT: ports.domain,
          JWT_ISSUER: issuer,
          GATEWAY_URL: env.GATEWAY_URL ?? serviceUrl(ports.gateway),
          // A laptop may have no internet: deterministic offline answers unless a provider is chosen.
          DOMAIN_PROVIDER: env.DOMAIN_PROVIDER ?? 'offline',
        }),
      ),
      startBillingService(
        loadBillingConfig({
          ...shared,
          PORT: ports.billing,
          // Without STRIPE_SECRET_KEY, payments go through the local provider's confirm link on the gateway.
          JWT_ISSUER: issuer,
          PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${ports.gateway}`,
        }),
      ),
      startGateway(
        loadGatewayConfig({
          ...shared,
          PORT: ports.gateway,
          WEB_APP_DIR: webAppDir,
          ADMIN_PASSWORD: adminPassword,
          VAPI_WEBHOOK_SECRET: vapiSecret,
          // As Supabase's local setup has one: signed with the JWT secret in effect (an empty variable is unset, as
          // config reads it), so the auth admin API is on. Never printed; whoever holds that secret can sign their own.
          SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY || (await signServiceRoleKey(env.JWT_SECRET || DEVELOPMENT_JWT_SECRET)),
          // As in Supabase's local setup: sign-ups need no mail round trip on a laptop.
          AUTH_AUTOCONFIRM: env.AUTH_AUTOCONFIRM ?? 'true',
          // Likewise phone numbers, which no laptop can receive a text on (production refuses this).
          AUTH_PHONE_AUTOCONFIRM: env.AUTH_PHONE_AUTOCONFIRM ?? 'true',
          // With no VAPI account, the app's journey page plays sample calls instead.
          SAMPLE_CALLS: env.SAMPLE_CALLS ?? (env.VAPI_API_KEY ? 'false' : 'true'),
          VOICE_SERVICE_URL: env.VOICE_SERVICE_URL ?? serviceUrl(ports.voice),
          ANALYSIS_SERVICE_URL: env.ANALYSIS_SERVICE_URL ?? serviceUrl(ports.analysis),
          DOMAIN_SERVICE_URL: env.DOMAIN_SERVICE_URL ?? serviceUrl(ports.domain),
          BILLING_SERVICE_URL: env.BILLING_SERVICE_URL ?? serviceUrl(ports.billing),
        }),
      ),
    ]);
    await Promise.all(apps.map((app) => app.ready));
    printBanner(infra.notes, { adminPassword, vapiSecret }, apps);
    const platform: AppHandle = {
      name: 'platform',
      port: Number(ports.gateway),
      ready: Promise.resolve(),
      async stop(timeoutMs) {
        await Promise.all(apps.map((app) => app.stop(timeoutMs)));
        await infra.stop();
      },
    };
    return [platform];
  } catch (error) {
    await infra.stop();
    throw error;
  }
}

function printBanner(notes: string[], secrets: { adminPassword: string; vapiSecret: string }, apps: AppHandle[]) {
  const base = `http://localhost:${ports.gateway}`;
  const shown = (value: string, name: string) => (env[name] === undefined ? `${value}, generated for this run; set ${name} to choose one` : name);
  const lines = [
    '',
    'DreamSeed is up.',
    `  Web app        ${base}/`,
    `  API            ${base}/v1   (auth: ${base}/auth/v1)`,
    `  API docs       ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    `  Operators      ${base}/operator   (make an account an operator: npm run operator:add -- <email>)`,
    `  Queues         ${base}/admin/queues   (operators, or user: ${env.ADMIN_USER ?? 'admin'}, password: ${shown(secrets.adminPassword, 'ADMIN_PASSWORD')})`,
    `  VAPI webhook   ${base}/webhooks/vapi   (X-Vapi-Secret: ${shown(secrets.vapiSecret, 'VAPI_WEBHOOK_SECRET')})`,
    `  Metrics        ${apps.map((app) => `${app.name} :${String(app.metricsPort)}/metrics`).join(', ')}`,
    `  Health         ${base}/health/ready`,
    ...notes.map((note) => `  ${note}`),
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

runMain({
  logger,
  timeoutMs: Number(env.SHUTDOWN_TIMEOUT_MS ?? 8000),
  start: () =>
    start().catch((error) => {
      if (error instanceof InfrastructureError) {
        process.stderr.write(`\nCannot start DreamSeed: ${error.message}\n\n`);
        process.exit(1);
      }
      throw error;
    }),
});
