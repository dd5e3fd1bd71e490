import { createHash, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { secret } from './config';

/**
 * Job payloads that must carry personal data (a VAPI message holds the caller's number and what was said) carry
 * it sealed: a compact JWE (`dir`, A256GCM) under a key derived from `PAYLOAD_ENCRYPTION_KEY`. Redis, the
 * queue dashboard, the admin API and the gateway's Postgres inbox then only ever see ciphertext; the service
 * that consumes the job opens it. The key id in the JWE header names the key, so a key can be rotated:
 * the new one seals, the old one (`PAYLOAD_ENCRYPTION_KEY_PREVIOUS`) still opens what was queued before.
 */
export const DEVELOPMENT_PAYLOAD_KEY = 'dreamseed-local-development-payload-key-not-for-production';

const keyText = z.string().min(32, 'must be at least 32 characters');

/** The variables of an app that seals or opens payloads (the gateway seals, the voice service opens). */
export const payloadKeyConfigShape = {
  PAYLOAD_ENCRYPTION_KEY: secret(keyText.default(DEVELOPMENT_PAYLOAD_KEY)),
  PAYLOAD_ENCRYPTION_KEY_PREVIOUS: secret(keyText.optional()),
};

export interface PayloadKeyConfig {
  PAYLOAD_ENCRYPTION_KEY: string;
  PAYLOAD_ENCRYPTION_KEY_PREVIOUS?: string;
}

/** A sealed payload that cannot be opened here: another key, a changed ciphertext, or not a JWE at all. */
export class SealedPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedPayloadError';
  }
}

interface Key {
  id: string;
  key: KeyObject;
}

/** A 256-bit key from the operator's text (any length from 32 characters), and an id that does not reveal it. */
function deriveKey(text: string): Key {
  const bytes = Buffer.from(hkdfSync('sha256', text, 'dreamseed', 'job payload encryption v1', 32));
  const id = createHash('sha256').update('key id').update(bytes).digest('base64url').slice(0, 12);
  return { id, key: createSecretKey(bytes) };
}

export class PayloadSealer {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;

  constructor(keys: PayloadKeyConfig) {
    this.current = deriveKey(keys.PAYLOAD_ENCRYPTION_KEY);
    const all = [this.current, ...(keys.PAYLOAD_ENCRYPTION_KEY_PREVIOUS ? [deriveKey(keys.PAYLOAD_ENCRYPTION_KEY_PREVIOUS)] : [])];
    this.byId = new Map(all.map((key) => [key.id, key]));
  }

  /** The id of the key that seals, as written in each JWE header (for logs and checks, never the key). */
  get keyId(): string {
    return this.current.id;
  }

  seal(plaintext: Uint8Array): Promise<string> {
    return new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: this.current.id }).encrypt(this.current.key);
  }

  async open(sealed: string): Promise<Uint8Array> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(sealed).kid;
    } catch {
      throw new SealedPayloadError('The sealed payload is not a compact JWE.');
    }
    const key = typeof kid === 'string' ? this.byId.get(kid) : undefined;
    if (!key) {
      throw new SealedPayloadError(
        `The payload was sealed with key ${String(kid)}, which this process does not hold (it has ${[...this.byId.keys()].join(', ')}): check PAYLOAD_ENCRYPTION_KEY and PAYLOAD_ENCRYPTION_KEY_PREVIOUS.`,
      );
    }
    try {
      const { plaintext } = await compactDecrypt(sealed, key.key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
      return plaintext;
    } catch {
      throw new SealedPayloadError(`The sealed payload does not open with key ${key.id}: it was changed or is not ours.`);
    }
  }
}
