import { baseConfigSchema, envPort, loadConfig, type Env } from '@dreamseed/platform';

export const analysisConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8082),
});

export type AnalysisConfig = ReturnType<typeof loadAnalysisConfig>;

export function loadAnalysisConfig(env: Env = process.env) {
  return loadConfig('analysis-service', analysisConfigSchema, env);
}
