import { baseConfigSchema, envPort, loadConfig, type Env } from '@dreamseed/platform';

export const voiceConfigSchema = baseConfigSchema.extend({
  PORT: envPort.default(8081),
});

export type VoiceConfig = ReturnType<typeof loadVoiceConfig>;

export function loadVoiceConfig(env: Env = process.env) {
  return loadConfig('voice-service', voiceConfigSchema, env);
}
