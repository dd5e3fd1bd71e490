import { baseConfigSchema, envPort, loadConfig, type Env } from '@dreamseed/platform';

export const domainConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8083),
});

export type DomainConfig = ReturnType<typeof loadDomainConfig>;

export function loadDomainConfig(env: Env = process.env) {
  return loadConfig('domain-service', domainConfigSchema, env);
}
