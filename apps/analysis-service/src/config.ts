import { z } from 'zod';
import { DEVELOPMENT_JWT_SECRET, baseConfigSchema, refuseDevelopmentSecrets, payloadKeyConfigShape, envPort, envUrl, loadConfig, secret, type Env } from '@dreamseed/platform';

const optionalNumber = z.coerce.number().nonnegative().optional();

export const analysisConfigSchema = baseConfigSchema
  .extend({
    PORT: envPort.default(8082),
    /** The gateway's token key and issuer: the founder read API checks the tokens it forwards. */
    JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET)),
    JWT_ISSUER: z.string().default('http://localhost:8080/auth/v1'),
    /** The gateway's sealing key (and the one before it): assessment answers reach the worker sealed. */
    ...payloadKeyConfigShape,
    /** The voice service's internal API: the founder's ended calls and transcripts. */
    VOICE_SERVICE_URL: envUrl(['http', 'https']).default('http://127.0.0.1:8081'),
    /** `auto`: OpenAI when OPENAI_API_KEY is set, else the offline extractor. */
    ANALYSIS_PROVIDER: z.enum(['auto', 'openai', 'offline']).default('auto'),
    OPENAI_API_KEY: secret(z.string().min(1).optional()),
    /** Any OpenAI-compatible server (Azure, a local model, a proxy); unset, OpenAI's own. */
    OPENAI_BASE_URL: envUrl(['http', 'https']).optional(),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
    /** Retries inside one attempt (429 after its retry-after, 5xx, timeouts); the queue retries the job after. */
    OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    /** USD per million input and output tokens, to record each run's cost. */
    OPENAI_INPUT_COST_PER_MTOK: optionalNumber,
    OPENAI_OUTPUT_COST_PER_MTOK: optionalNumber,
  })
  .superRefine((config, ctx) => {
    if (config.ANALYSIS_PROVIDER === 'openai' && !config.OPENAI_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['OPENAI_API_KEY'], message: 'is required when ANALYSIS_PROVIDER is openai' });
    }
  })
  .superRefine(refuseDevelopmentSecrets);

export type AnalysisConfig = ReturnType<typeof loadAnalysisConfig>;

export function loadAnalysisConfig(env: Env = process.env) {
  return loadConfig('analysis-service', analysisConfigSchema, env);
}
