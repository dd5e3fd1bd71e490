import pino, { type Logger } from 'pino';
import type { z } from 'zod';
import { secretKeys, type BaseConfig } from './config';
import { withoutData } from './errors';

export type { Logger } from 'pino';

/**
 * Paths redacted from every log line: credentials in headers, and the personal data and secrets that objects
 * passed to the logger may carry. Never put an email or a phone number into a log *message*: redaction only
 * applies to objects.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-vapi-secret"]',
  'req.headers["x-vapi-signature"]',
  'req.headers["x-signature"]',
  'req.headers["stripe-signature"]',
  'req.headers.apikey',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  'email',
  '*.email',
  'phone',
  '*.phone',
  '*.phoneNumber',
  '*.customerEmail',
  '*.customerPhone',
  '*.customer_email',
  '*.customer_phone',
  // VAPI's shapes: the caller (`customer: { number, name }`, at the top or inside `call`) and what was said.
  'customer',
  '*.customer',
  '*.*.customer',
  'customerNumber',
  '*.customerNumber',
  'customerName',
  '*.customerName',
  '*.customer_name',
  'transcript',
  '*.transcript',
  // Client addresses: only ever stored hashed.
  'ip',
  '*.ip',
];

export interface LoggerOptions {
  service: string;
  version: string;
  level?: string;
  /** Config keys marked secret: redacted wherever a `config` object is logged. */
  secretKeys?: string[];
  /** Write somewhere other than stdout (tests). */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const configPaths = (options.secretKeys ?? []).map((key) => `config.${key}`);
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, version: options.version },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_PATHS, ...configPaths], censor: '[redacted]' },
      // A database error's message, stack and fields can hold the statement's parameters: logged without them.
      serializers: { err: (error: Error) => pino.stdSerializers.err(withoutData(error) as Error) },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

/** The root logger of an app, from its config: level, version, and the config keys it must never print. */
export function createAppLogger(service: string, schema: z.ZodObject, config: BaseConfig): Logger {
  return createLogger({ service, version: config.APP_VERSION, level: config.LOG_LEVEL, secretKeys: secretKeys(schema) });
}

const LEVEL_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/**
 * `logger.child(bindings)`, made on first use at an enabled level. pino serialises a child's bindings when the
 * child is made, and with wildcard redaction paths it runs the redactor over each of them: for a job that
 * logs nothing at the configured level, that costs more than the job's own work.
 */
export function lazyChild(logger: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const noop = () => undefined;
  return new Proxy(logger, {
    get(_target, property) {
      if (typeof property === 'string' && LEVEL_METHODS.has(property) && !logger.isLevelEnabled(property)) return noop;
      child ??= logger.child(bindings);
      const value: unknown = Reflect.get(child, property, child);
      return typeof value === 'function' ? value.bind(child) : value;
    },
  });
}
