import { z } from 'zod';
import { DEVELOPMENT_JWT_SECRET, baseConfigSchema, checkRedisCluster, refuseDevelopmentSecrets, payloadKeyConfigShape, envPort, envUrl, loadConfig, secret, type Env } from '@dreamseed/platform';

const optionalNumber = z.coerce.number().nonnegative().optional();

export const analysisConfigSchema = baseConfigSchema
  .extend({
    PORT: envPort.default(8082).describe("The app's HTTP port."),
    JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET)).describe(
      "The gateway's JWT_SECRET: the founder API checks the tokens the gateway forwards.",
    ),
    JWT_ISSUER: z.string().default('http://localhost:8080/auth/v1').describe("The gateway's token issuer (its PUBLIC_URL + /auth/v1)."),
    PAYLOAD_ENCRYPTION_KEY: payloadKeyConfigShape.PAYLOAD_ENCRYPTION_KEY.describe(
      "The gateway's PAYLOAD_ENCRYPTION_KEY: opens the assessment answers it sealed into submit-assessment jobs.",
    ),
    PAYLOAD_ENCRYPTION_KEY_PREVIOUS: payloadKeyConfigShape.PAYLOAD_ENCRYPTION_KEY_PREVIOUS.describe(
      'The key before a rotation: still opens the jobs sealed with it until they are done.',
    ),
    VOICE_SERVICE_URL: envUrl(['http', 'https']).default('http://127.0.0.1:8081').describe("The voice service's internal API."),
    ANALYSIS_PROVIDER: z
      .enum(['auto', 'openai', 'offline'])
      .default('auto')
      .describe('Who extracts the Dream DNA: auto is OpenAI when OPENAI_API_KEY is set, else the offline extractor (rules, no model).'),
    OPENAI_API_KEY: secret(z.string().min(1).optional()).describe('The key of OpenAI or of an OpenAI-compatible server.'),
    OPENAI_BASE_URL: envUrl(['http', 'https'])
      .optional()
      .describe("Any OpenAI-compatible server (Azure, a local model, a proxy), e.g. http://localhost:11434/v1. Unset: OpenAI's own."),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini').describe('A model with structured outputs.'),
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000).describe('Deadline of one OpenAI request.'),
    OPENAI_MAX_RETRIES: z.coerce
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe('Retries inside one attempt (429 after its retry-after, 5xx, timeouts); the queue retries the job after.'),
    OPENAI_INPUT_COST_PER_MTOK: optionalNumber.describe("USD per million input tokens, to record each run's cost. Unset: no cost is recorded."),
    OPENAI_OUTPUT_COST_PER_MTOK: optionalNumber.describe("USD per million output tokens, to record each run's cost. Unset: no cost is recorded."),
  })
  .superRefine((config, ctx) => {
    if (config.ANALYSIS_PROVIDER === 'openai' && !config.OPENAI_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['OPENAI_API_KEY'], message: 'is required when ANALYSIS_PROVIDER is openai' });
    }
  })
  .superRefine(refuseDevelopmentSecrets)
  .superRefine(checkRedisCluster);

export type AnalysisConfig = ReturnType<typeof loadAnalysisConfig>;

export function loadAnalysisConfig(env: Env = process.env) {
  return loadConfig('analysis-service', analysisConfigSchema, env);
}
