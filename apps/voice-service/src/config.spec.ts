import { ConfigError, parseConfig, secretKeys } from '@dreamseed/platform';
import { loadVoiceConfig, voiceConfigSchema } from './config';
import { vapiServer } from './vapi/server';

const SECRET = 'vapi-webhook-secret-for-tests';
const base = { DATABASE_URL: 'postgres://voice:pw@db:5432/dreamseed', REDIS_URL: 'redis://cache:6379' };
/** Production also refuses the development token and sealing keys: these are set, so only VAPI's keys matter. */
const production = {
  ...base,
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-token-key-of-at-least-32-characters',
  PAYLOAD_ENCRYPTION_KEY: 'a-production-sealing-key-of-at-least-32-characters',
};

/** The problems a configuration is refused for, as `key: message`. */
function refusals(env: Record<string, string>): string[] {
  try {
    parseConfig('voice-service', voiceConfigSchema, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => `${issue.key}: ${issue.message}`);
  }
}

describe('voice config: where VAPI sends messages', () => {
  it('defaults VAPI_SERVER_URL to the gateway webhook at PUBLIC_URL', () => {
    expect(loadVoiceConfig(base).VAPI_SERVER_URL).toBe('http://localhost:8080/webhooks/vapi');
    expect(loadVoiceConfig({ ...base, PUBLIC_URL: 'https://api.dreamseed.example' }).VAPI_SERVER_URL).toBe('https://api.dreamseed.example/webhooks/vapi');
    expect(loadVoiceConfig({ ...base, PUBLIC_URL: 'https://dreamseed.example/platform/' }).VAPI_SERVER_URL).toBe('https://dreamseed.example/platform/webhooks/vapi');
  });

  it('takes an explicit VAPI_SERVER_URL over PUBLIC_URL, and an empty one as unset', () => {
    const explicit = { ...base, PUBLIC_URL: 'https://api.dreamseed.example', VAPI_SERVER_URL: 'https://hooks.dreamseed.example/vapi' };
    expect(loadVoiceConfig(explicit).VAPI_SERVER_URL).toBe('https://hooks.dreamseed.example/vapi');
    expect(loadVoiceConfig({ ...explicit, VAPI_SERVER_URL: '' }).VAPI_SERVER_URL).toBe('https://api.dreamseed.example/webhooks/vapi');
    expect(Object.isFrozen(loadVoiceConfig(base))).toBe(true);
  });
});

describe('voice config: the credential on server objects', () => {
  it('refuses hmac mode without a VAPI credential, in one message that says what to do', () => {
    expect(refusals({ ...base, VAPI_WEBHOOK_AUTH: 'hmac', VAPI_WEBHOOK_SECRET: SECRET })).toEqual([
      'VAPI_SERVER_CREDENTIAL_ID: must be set with VAPI_WEBHOOK_AUTH=hmac: VAPI signs its messages only with a webhook credential (create one with an HMAC plan keyed with VAPI_WEBHOOK_SECRET and set its id here)',
    ]);
    expect(refusals({ ...base, VAPI_WEBHOOK_AUTH: 'hmac', VAPI_SERVER_CREDENTIAL_ID: 'cred-1' })).toEqual([]);
  });

  it('refuses production with neither a credential id nor a secret, and never prints the secret', () => {
    expect(refusals(production)).toEqual([
      "VAPI_WEBHOOK_SECRET: must be set in production, or VAPI_SERVER_CREDENTIAL_ID: without either, VAPI's messages carry no credential and the gateway refuses them (401)",
    ]);
    expect(refusals({ ...production, VAPI_WEBHOOK_SECRET: SECRET })).toEqual([]);
    expect(refusals({ ...production, VAPI_SERVER_CREDENTIAL_ID: 'cred-1' })).toEqual([]);
    // Development runs without either (the gateway then refuses VAPI's messages, as it does without its secret).
    expect(refusals(base)).toEqual([]);
    // Every problem at once, the secret's value in none of them.
    const many = refusals({ ...production, VAPI_WEBHOOK_AUTH: 'hmac', VAPI_WEBHOOK_SECRET: 'short-secret', JWT_SECRET: 'short' });
    expect(many.map((line) => line.split(':')[0]).sort()).toEqual(['JWT_SECRET', 'VAPI_SERVER_CREDENTIAL_ID', 'VAPI_WEBHOOK_SECRET']);
    expect(many.join('\n')).not.toContain('short-secret');
  });

  it('marks the webhook secret secret, so that the logger redacts it', () => {
    expect(secretKeys(voiceConfigSchema)).toContain('VAPI_WEBHOOK_SECRET');
  });

  it('writes the credential id when one is set, else in header mode the secret as X-Vapi-Secret', () => {
    const url = 'https://api.dreamseed.example/webhooks/vapi';
    const server = (env: Record<string, string>) => vapiServer(loadVoiceConfig({ ...base, VAPI_SERVER_URL: url, ...env }));
    expect(server({ VAPI_WEBHOOK_SECRET: SECRET, VAPI_SERVER_CREDENTIAL_ID: 'cred-1' })).toEqual({ url, timeoutSeconds: 10, credentialId: 'cred-1' });
    expect(server({ VAPI_WEBHOOK_SECRET: SECRET, VAPI_WEBHOOK_AUTH: 'hmac', VAPI_SERVER_CREDENTIAL_ID: 'cred-1' })).toEqual({ url, timeoutSeconds: 10, credentialId: 'cred-1' });
    expect(server({ VAPI_WEBHOOK_SECRET: SECRET })).toEqual({ url, timeoutSeconds: 10, headers: { 'X-Vapi-Secret': SECRET } });
    expect(server({})).toEqual({ url, timeoutSeconds: 10 });
  });
});
