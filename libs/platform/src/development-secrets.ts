import type { Logger } from 'pino';
import type { z } from 'zod';
import { DEVELOPMENT_JWT_SECRET } from './founder-token';
import { DEVELOPMENT_PAYLOAD_KEY } from './sealed-payload';

/** Secrets with a built-in value so that a laptop runs with nothing set; that value is public, so never in production. */
const DEVELOPMENT_VALUES: Record<string, string> = {
  JWT_SECRET: DEVELOPMENT_JWT_SECRET,
  PAYLOAD_ENCRYPTION_KEY: DEVELOPMENT_PAYLOAD_KEY,
};

/**
 * A config refinement for every app: with `NODE_ENV=production`, a secret still at its development value is
 * an error (anyone could sign founders' tokens, or open sealed job payloads, with it).
 */
export function refuseDevelopmentSecrets(config: { NODE_ENV: string }, ctx: z.RefinementCtx): void {
  if (config.NODE_ENV !== 'production') return;
  for (const [key, value] of Object.entries(DEVELOPMENT_VALUES)) {
    if ((config as Record<string, unknown>)[key] === value) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'must be set in production (the built-in development value is public)' });
    }
  }
}

/** The development secrets a config still holds at their public values (names only). */
export function developmentSecretsIn(config: object): string[] {
  return Object.entries(DEVELOPMENT_VALUES)
    .filter(([key, value]) => (config as Record<string, unknown>)[key] === value)
    .map(([key]) => key);
}

/** Whether a listen address keeps the app to this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(bare);
}

/**
 * A development run reachable from the network with a public development secret is open to anyone there: they
 * can sign themselves any founder's token (JWT_SECRET) or open sealed job payloads. Says so loudly at start, by
 * name, never by value. Production refuses these secrets outright (`refuseDevelopmentSecrets`).
 */
export function warnOfExposedDevelopmentSecrets(config: { HOST: string }, logger: Logger): boolean {
  const exposed = developmentSecretsIn(config);
  if (exposed.length === 0 || isLoopbackHost(config.HOST)) return false;
  logger.warn(
    { host: config.HOST, secrets: exposed },
    `DANGER: listening on ${config.HOST} with the public development value of ${exposed.join(' and ')}: anyone who can ` +
      'reach this port can forge sign-ins or read sealed payloads. Set these secrets, or HOST=127.0.0.1.',
  );
  return true;
}
