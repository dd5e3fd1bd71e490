import type { VoiceConfig } from '../config';

/**
 * A server object as VAPI's `Server` schema has it: where VAPI sends messages, how long it waits, and how it
 * proves they come from VAPI. Exactly one of `credentialId` and `headers` carries the proof.
 */
export interface VapiServer {
  url: string;
  timeoutSeconds: number;
  credentialId?: string;
  headers?: { 'X-Vapi-Secret': string };
}

/**
 * VAPI's wait for an answer (its default is 20 s). Every answer comes from the gateway, which gives the voice
 * service at most VAPI_SYNC_TIMEOUT_MS (7 s at most, by its schema) and then answers itself: 10 s leaves that
 * room, and a gateway that cannot be reached at all keeps a caller waiting 10 s instead of 20.
 */
const SERVER_TIMEOUT_SECONDS = 10;

type ServerConfig = Pick<VoiceConfig, 'VAPI_SERVER_URL' | 'VAPI_SERVER_CREDENTIAL_ID' | 'VAPI_WEBHOOK_SECRET' | 'VAPI_WEBHOOK_AUTH'>;

/**
 * The server object on everything the platform hands VAPI (assistants, their tools, the overrides of a saved
 * assistant), so that every message VAPI sends back passes the gateway's check. A VAPI credential when one is
 * configured (VAPI applies its bearer token or HMAC signature); otherwise, in header mode, the shared secret as
 * `X-Vapi-Secret`. The config refuses to start when neither is possible (hmac without a credential; production
 * without either). The object holds the secret in header mode: it goes to VAPI in a request body, never to a log.
 */
export function vapiServer(config: ServerConfig): VapiServer {
  const server = { url: config.VAPI_SERVER_URL, timeoutSeconds: SERVER_TIMEOUT_SECONDS };
  if (config.VAPI_SERVER_CREDENTIAL_ID) return { ...server, credentialId: config.VAPI_SERVER_CREDENTIAL_ID };
  if (config.VAPI_WEBHOOK_AUTH === 'header' && config.VAPI_WEBHOOK_SECRET) return { ...server, headers: { 'X-Vapi-Secret': config.VAPI_WEBHOOK_SECRET } };
  return server;
}
