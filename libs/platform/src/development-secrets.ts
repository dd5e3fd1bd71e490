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
