/**
 * Job payloads that must carry personal data (a VAPI message holds the caller's number and what was said) carry
 * it sealed: a compact JWE (`dir`, A256GCM) under a key derived from `PAYLOAD_ENCRYPTION_KEY`. Redis, the
 * queue dashboard, the admin API and the gateway's Postgres inbox then only ever see ciphertext; the service
 * that consumes the job opens it. The key id in the JWE header names the key, so a key can be rotated:
 * the new one seals, the old one (`PAYLOAD_ENCRYPTION_KEY_PREVIOUS`) still opens what was queued before.
 *
 * A measured fast path. Why it exists: both ends are on hot paths (sealing on every webhook, opening on every event
 * the voice worker handles), so both are written with node:crypto rather than jose: a standard compact JWE
 * (RFC 7516), with random 96-bit IVs drawn from the CSPRNG in bulk. Opening accepts only the exact protected
 * headers this class writes (one per key it holds), so there is no header to interpret: the algorithms are fixed
 * by the match, and the header is authenticated as the ciphertext's additional data.
 * What it bought: sealing and opening each cost about half of what they cost through jose, which had been a
 * visible share of the webhook's and the voice worker's CPU (figures: docs/performance-notes.md#sealed-payloads).
 * What a change must re-measure: `npm run bench`, the webhook row (its ratio to the same-POST baseline) and the
 * voice worker's sealed events per second; the spec beside this file checks both directions against jose.
 */
import { createCipheriv, createDecipheriv, createHash, createSecretKey, hkdfSync, randomFillSync, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { secret } from './config';

/** The key of local development: production refuses it (`refuseDevelopmentSecrets`). */
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
  /** The JWE protected header, base64url. */
  header: string;
  /** The same header's bytes: the ciphertext's additional authenticated data. */
  aad: Buffer;
}

/** A 256-bit key from the operator's text (any length from 32 characters), and an id that does not reveal it. */
function deriveKey(text: string): Key {
  const bytes = Buffer.from(hkdfSync('sha256', text, 'dreamseed', 'job payload encryption v1', 32));
  const id = createHash('sha256').update('key id').update(bytes).digest('base64url').slice(0, 12);
  const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: id })).toString('base64url');
  return { id, key: createSecretKey(bytes), header, aad: Buffer.from(header, 'ascii') };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Random IVs drawn in bulk: one CSPRNG call per 4,096 bodies instead of one each (see the header). */
const ivPool = Buffer.alloc(IV_BYTES * 4096);
let ivOffset = ivPool.length;

function nextIv(): Buffer {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  // A copy: the pool is refilled in place.
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

export class PayloadSealer {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;
  /** Each key by the exact protected header it seals under. */
  private readonly byHeader: Map<string, Key>;

  constructor(keys: PayloadKeyConfig) {
    this.current = deriveKey(keys.PAYLOAD_ENCRYPTION_KEY);
    const all = [this.current, ...(keys.PAYLOAD_ENCRYPTION_KEY_PREVIOUS ? [deriveKey(keys.PAYLOAD_ENCRYPTION_KEY_PREVIOUS)] : [])];
    this.byId = new Map(all.map((key) => [key.id, key]));
    this.byHeader = new Map(all.map((key) => [key.header, key]));
  }

  /** The id of the key that seals, as written in each JWE header (for logs and checks, never the key). */
  get keyId(): string {
    return this.current.id;
  }

  /** A compact JWE: header, an empty encrypted key (`dir`), IV, ciphertext and tag, each base64url. */
  seal(plaintext: Uint8Array): string {
    const { key, header, aad } = this.current;
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return `${header}..${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  async open(sealed: string): Promise<Uint8Array> {
    const parts = sealed.split('.');
    if (parts.length !== 5) throw new SealedPayloadError('The sealed payload is not a compact JWE.');
    const [header, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
    const key = this.byHeader.get(header) ?? this.refuseHeader(header);
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    const refused = () => new SealedPayloadError(`The sealed payload does not open with key ${key.id}: it was changed or is not ours.`);
    if (encryptedKey !== '' || ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw refused();
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(key.aad);
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    } catch {
      throw refused();
    }
  }

  /** Why a protected header this process did not write is refused: not a JWE, another key, or not our header. */
  private refuseHeader(header: string): never {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    } catch {
      decoded = undefined;
    }
    if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw new SealedPayloadError('The sealed payload is not a compact JWE.');
    const kid = (decoded as { kid?: unknown }).kid;
    const key = typeof kid === 'string' ? this.byId.get(kid) : undefined;
    if (key) throw new SealedPayloadError(`The sealed payload does not open with key ${key.id}: its header is not the one this key seals under.`);
    throw new SealedPayloadError(
      `The payload was sealed with key ${String(kid)}, which this process does not hold (it has ${[...this.byId.keys()].join(', ')}): check PAYLOAD_ENCRYPTION_KEY and PAYLOAD_ENCRYPTION_KEY_PREVIOUS.`,
    );
  }
}
