import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Configuration: one zod object schema per app, parsed once at start. Every bad variable is reported in one go,
 * and variables wrapped in `secret()` are never printed (they are redacted from the config summary and their
 * values are added to the logger's redaction list). Each variable carries its operator-facing description
 * (`.describe()`): docs/configuration.md and .env.example are generated from the schemas (`npm run config:docs`).
 */
const secretSchemas = new WeakSet<z.ZodType>();

export function secret<S extends z.ZodType>(schema: S): S {
  secretSchemas.add(schema);
  return schema;
}

export function isSecret(schema: z.ZodType): boolean {
  return secretSchemas.has(schema);
}

export type Env = Record<string, string | undefined>;

export interface ConfigIssue {
  key: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly app: string,
    readonly issues: ConfigIssue[],
  ) {
    super(`${app}: invalid configuration\n${issues.map((i) => `  - ${i.key}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, as in most .env tooling. */
function withoutEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}

export function parseConfig<S extends z.ZodObject>(app: string, schema: S, env: Env): Readonly<z.output<S>> {
  const result = schema.safeParse(withoutEmpty(env));
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      key: issue.path.join('.') || '(root)',
      message: issue.message,
    }));
    throw new ConfigError(app, issues);
  }
  return Object.freeze(result.data);
}

/** Parses the config or prints every problem and exits 1: the entry point of each app calls this once. */
export function loadConfig<S extends z.ZodObject>(app: string, schema: S, env: Env = process.env): Readonly<z.output<S>> {
  try {
    return parseConfig(app, schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The names of the keys marked secret in a config schema. */
export function secretKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isSecretField(field as z.ZodType))
    .map(([key]) => key);
}

function isSecretField(field: z.ZodType): boolean {
  return layersOf(field).some(isSecret);
}

/**
 * A variable's schema and everything it wraps, outermost first: `.default()`/`.optional()` hold an inner type, a
 * pipe reads through its input, and `.describe()` clones a schema, remembering the one it came from. Marks and
 * descriptions may sit on any of these layers.
 */
function layersOf(field: z.ZodType): z.ZodType[] {
  const layers: z.ZodType[] = [];
  const pending: unknown[] = [field];
  while (pending.length > 0) {
    const current = pending.shift();
    if (!(current instanceof z.ZodType) || layers.includes(current)) continue;
    layers.push(current);
    const def = current.def as { innerType?: unknown; in?: unknown };
    pending.push(current._zod.parent, def.innerType, def.in);
  }
  return layers;
}

/** What the generated configuration docs say about one variable, read from its schema. */
export interface ConfigVariable {
  key: string;
  description: string | undefined;
  secret: boolean;
  /** Set and with no default: the app refuses to start without it. */
  required: boolean;
  /** The value used when the variable is unset, when the schema names one. */
  default: { value: unknown } | undefined;
  /** The values an enum accepts. */
  choices: string[] | undefined;
}

export function configVariables(schema: z.ZodObject): ConfigVariable[] {
  return Object.entries(schema.shape).map(([key, value]) => {
    const field = value as z.ZodType;
    const layers = layersOf(field);
    const defaulted = layers.find((layer) => layer instanceof z.ZodDefault);
    const choices = layers.find((layer) => layer instanceof z.ZodEnum);
    return {
      key,
      description: layers.map((layer) => z.globalRegistry.get(layer)?.description).find(Boolean),
      secret: layers.some(isSecret),
      required: !field.safeParse(undefined).success,
      default: defaulted ? { value: defaulted.def.defaultValue } : undefined,
      choices: choices?.options.map(String),
    };
  });
}

/** A copy of the config that is safe to log: secret values become "[secret]". */
export function describeConfig(schema: z.ZodObject, config: object): Record<string, unknown> {
  const hidden = new Set(secretKeys(schema));
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      hidden.has(key) && value !== undefined ? '[secret]' : value,
    ]),
  );
}

/** Environment helpers that read the way operators write variables. */
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
export const envPort = z.coerce.number().int().min(0).max(65535);
export const envMs = z.coerce.number().int().min(0);
export const envUrl = (protocols: string[]) =>
  z.url().refine((value) => protocols.some((p) => value.startsWith(`${p}:`)), {
    message: `must be a ${protocols.join(' or ')} URL`,
  });

/** The named ranges Express (proxy-addr) understands in `trust proxy`. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/**
 * Which peers may say who the client is (X-Forwarded-For): a hop count, or a list of addresses, CIDRs and
 * Express's range names. Unset: nobody, `req.ip` is the socket's peer. "true" is refused: it would let every
 * client choose its own address, and with it a fresh per-address rate limit on each request.
 */
export const envTrustProxy = z.string().transform((value, ctx): number | string[] => {
  const text = value.trim();
  if (/^\d+$/.test(text) && Number(text) <= 10) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim());
  const wrong = entries.filter((entry) => !isProxyAddress(entry));
  if (wrong.length === 0) return entries;
  ctx.addIssue({
    code: 'custom',
    message:
      `"${wrong.join('", "').slice(0, 100)}" is not a proxy: give the number of proxies in front (0-10), or a comma-separated ` +
      'list of their addresses or CIDRs (10.0.0.0/8) and of loopback, linklocal, uniquelocal',
  });
  return z.NEVER;
});

const envRedisUrl = envUrl(['redis', 'rediss']);
/** One redis:// or rediss:// URL or, for a cluster's seed nodes, several, comma-separated. */
const envRedisUrls = z.string().refine((value) => value.split(',').every((url) => envRedisUrl.safeParse(url.trim()).success), {
  message: 'must be a redis or rediss URL (or, with REDIS_CLUSTER, several, comma-separated)',
});
/** Key-safe characters, and at most one hash tag: `{…}` with something inside, which Redis Cluster hashes alone. */
const QUEUE_PREFIX_PATTERN = /^[a-zA-Z0-9_-]*(\{[a-zA-Z0-9_-]+\})?[a-zA-Z0-9_-]*$/;

/** Variables every app reads. Each app's schema extends this one. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('The environment; production refuses development secrets and unsafe shortcuts.'),
  APP_VERSION: z
    .string()
    .min(1)
    .max(64)
    .default('0.0.0-dev')
    .describe('Reported in every log line and metric; npm start and the Docker build set it from package.json.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('The pino log level.'),
  // Loopback by default, so that a laptop's apps are not on its network.
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('The address the API and metrics ports listen on; the Docker image sets 0.0.0.0.'),
  TRUST_PROXY: envTrustProxy
    .optional()
    .describe(
      'Proxies whose X-Forwarded-For names the client (per-IP limits): behind one ingress or load balancer, its hop ' +
        'count (1) or its addresses and CIDRs (10.0.0.0/8, loopback). Unset: none, the client is the socket\'s peer.',
    ),
  // Apart from the API, so that an ingress routing the app's port never exposes it.
  METRICS_PORT: envPort
    .optional()
    .describe("The port of GET /metrics, apart from the API port. Unset: the app's PORT + 1000 (a free one when PORT is 0)."),
  DATABASE_URL: secret(envUrl(['postgres', 'postgresql'])).describe(
    'Postgres, directly or through a transaction pooler (PgBouncer in transaction mode: the apps keep no session ' +
      'state; migrations then need DATABASE_MIGRATION_URL). Under npm start, unset: a local Postgres on 5432, else an embedded PGlite.',
  ),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10).describe('Postgres connections per app.'),
  /*
   * Long by default: a new connection costs Postgres a backend whose first queries also fill its caches, and the
   * latency-bound paths (VAPI's assistant-request) come in bursts after quiet spells, when a short timeout would
   * have closed the pool.
   */
  DATABASE_POOL_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(600)
    .describe('Seconds an idle pool connection is kept (a new one costs Postgres a fresh backend).'),
  REDIS_URL: secret(envRedisUrls).describe(
    'Redis (queues, rate limits, caches); with REDIS_CLUSTER, seed nodes of the cluster, comma-separated. Under npm ' +
      'start, unset: a local Redis on 6379, else redis-server from PATH.',
  ),
  REDIS_CLUSTER: envBoolean
    .default(false)
    .describe(
      'REDIS_URL names seed nodes of a Redis Cluster (one is enough; the others are found from it). QUEUE_PREFIX must ' +
        'then hold a hash tag, such as {dreamseed}, so that all of the platform\'s keys share one slot.',
    ),
  QUEUE_PREFIX: z
    .string()
    .regex(QUEUE_PREFIX_PATTERN, 'letters, digits, "_" and "-" only, with at most one hash tag in braces ({dreamseed})')
    .default('dreamseed')
    .describe(
      'Prefix of every key the platform keeps in Redis (BullMQ\'s included), so that several platforms (or test runs) ' +
        'can share one Redis. In a cluster it holds a hash tag: {dreamseed}.',
    ),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10).describe('Jobs each worker runs at once.'),
  WORKER_LOCK_MS: envMs
    .min(1000)
    .max(600_000)
    .default(30_000)
    .describe(
      "A running job's lock, renewed halfway: a dead worker's jobs go to another worker once it runs out.",
    ),
  INTERNAL_API_SECRET: secret(z.string().min(16, 'must be at least 16 characters').optional()).describe(
    'The token (x-internal-token) the apps present to each other\'s internal APIs, 16+ characters: ' +
      '`openssl rand -base64 24`. Unset: internal routes refuse every call; npm start makes one up.',
  ),
  SHUTDOWN_TIMEOUT_MS: envMs
    .max(60000)
    .default(8000)
    .describe('Shutdown budget: running jobs finish or go back to the queue within it, then the process exits.'),
});

export type BaseConfig = z.output<typeof baseConfigSchema>;

/**
 * Redis Cluster runs a transaction or a script only on keys of one slot, and BullMQ's scripts and the platform's
 * MULTIs touch several keys at once: in cluster mode the prefix that starts every key must hold a hash tag, so
 * that every key hashes to the tag's slot. Several URLs, on the other hand, make sense only as a cluster's seeds.
 * Every app's schema refines with this check.
 */
export function checkRedisCluster(config: { REDIS_URL: string; REDIS_CLUSTER: boolean; QUEUE_PREFIX: string }, ctx: z.RefinementCtx): void {
  if (!config.REDIS_CLUSTER) {
    if (config.REDIS_URL.includes(',')) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'names several servers: set REDIS_CLUSTER=true if they are seed nodes of a Redis Cluster' });
    }
    return;
  }
  if (!config.QUEUE_PREFIX.includes('{')) {
    ctx.addIssue({
      code: 'custom',
      path: ['QUEUE_PREFIX'],
      message:
        `must hold a hash tag with REDIS_CLUSTER on, such as {${config.QUEUE_PREFIX}}: BullMQ's scripts and the platform's ` +
        'transactions touch several keys at once, which a cluster allows only when they share a slot',
    });
  }
}
