import type { KeyObject } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { z } from 'zod';
import { refuseDevelopmentSecrets } from './development-secrets';
import { DEVELOPMENT_JWT_SECRET } from './founder-token';
import { DEVELOPMENT_PAYLOAD_KEY, PayloadSealer, SealedPayloadError, payloadKeyConfigShape } from './sealed-payload';

const KEY = 'the-current-payload-key-with-32-or-more-characters';
const OLD = 'the-key-before-the-rotation-with-32-or-more-chars';
const body = Buffer.from(JSON.stringify({ message: { type: 'transcript', transcript: 'I sell sourdough', customer: { number: '+14155550100' } } }));

describe('PayloadSealer', () => {
  const sealer = new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: KEY });

  it('seals into a compact JWE that shows neither the plaintext nor the key, and opens it again', async () => {
    const sealed = sealer.seal(body);
    expect(sealed.split('.')).toHaveLength(5);
    for (const part of ['sourdough', '4155550100', KEY]) expect(sealed).not.toContain(part);
    expect(Buffer.from(await sealer.open(sealed)).equals(body)).toBe(true);
    // A fresh nonce each time: the same body never seals the same way twice.
    expect(sealer.seal(body)).not.toBe(sealed);
  });

  it('writes a standard compact JWE (dir, A256GCM) that jose opens, and opens what jose seals', async () => {
    const sealed = sealer.seal(body);
    const key = (sealer as unknown as { current: { key: KeyObject } }).current.key;
    const { plaintext, protectedHeader } = await compactDecrypt(sealed, key);
    expect(protectedHeader).toEqual({ alg: 'dir', enc: 'A256GCM', kid: sealer.keyId });
    expect(Buffer.from(plaintext).equals(body)).toBe(true);
    const byJose = await new CompactEncrypt(body).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: sealer.keyId }).encrypt(key);
    expect(Buffer.from(await sealer.open(byJose)).equals(body)).toBe(true);
  });

  it('never uses an IV twice, across refills of its pool of random IVs', () => {
    const ivs = new Set(Array.from({ length: 10_000 }, () => sealer.seal(body).split('.')[2]));
    expect(ivs.size).toBe(10_000);
  });

  it('names its key by an id that is stable, differs per key and is not the key', () => {
    expect(new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: KEY }).keyId).toBe(sealer.keyId);
    expect(new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: OLD }).keyId).not.toBe(sealer.keyId);
    expect(KEY).not.toContain(sealer.keyId);
  });

  it('opens what the previous key sealed after a rotation, and seals with the new one', async () => {
    const before = new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: OLD }).seal(body);
    const rotated = new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: KEY, PAYLOAD_ENCRYPTION_KEY_PREVIOUS: OLD });
    expect(Buffer.from(await rotated.open(before)).equals(body)).toBe(true);
    expect(Buffer.from(await sealer.open(rotated.seal(body))).equals(body)).toBe(true);
    await expect(sealer.open(before)).rejects.toThrow(SealedPayloadError);
  });

  it('refuses an unknown key, a changed ciphertext and what is not a JWE, each with a reason', async () => {
    const foreign = new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: OLD });
    await expect(sealer.open(foreign.seal(body))).rejects.toThrow(`sealed with key ${foreign.keyId}, which this process does not hold`);

    const parts = sealer.seal(body).split('.');
    const ciphertext = Buffer.from(parts[3] as string, 'base64url');
    ciphertext[0] = (ciphertext[0] as number) ^ 1;
    parts[3] = ciphertext.toString('base64url');
    await expect(sealer.open(parts.join('.'))).rejects.toThrow(/does not open with key .*: it was changed/);

    await expect(sealer.open('not a jwe')).rejects.toThrow('not a compact JWE');
    await expect(sealer.open(`${Buffer.from('42').toString('base64url')}..a.b.c`)).rejects.toThrow('not a compact JWE');
  });

  it('refuses a changed tag, IV, encrypted key or header, and any header but the exact one its key seals under', async () => {
    const change = (index: number, to: (part: string) => string) => {
      const parts = sealer.seal(body).split('.');
      parts[index] = to(parts[index] as string);
      return parts.join('.');
    };
    const flipFirstByte = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] = (bytes[0] as number) ^ 1;
      return bytes.toString('base64url');
    };
    const wontOpen = /does not open with key/;
    await expect(sealer.open(change(4, flipFirstByte))).rejects.toThrow(wontOpen);
    await expect(sealer.open(change(4, (tag) => tag.slice(0, 10)))).rejects.toThrow(wontOpen);
    await expect(sealer.open(change(2, flipFirstByte))).rejects.toThrow(wontOpen);
    await expect(sealer.open(change(2, () => Buffer.alloc(16).toString('base64url')))).rejects.toThrow(wontOpen);
    await expect(sealer.open(change(1, () => 'AAAA'))).rejects.toThrow(wontOpen);
    // The same key id under another algorithm, or the same header written differently: not ours.
    for (const header of [{ alg: 'dir', enc: 'A128GCM', kid: sealer.keyId }, { kid: sealer.keyId, alg: 'dir', enc: 'A256GCM' }]) {
      await expect(sealer.open(change(0, () => Buffer.from(JSON.stringify(header)).toString('base64url')))).rejects.toThrow(
        /does not open with key .*: its header is not the one/,
      );
    }
  });
});

describe('development secrets', () => {
  const schema = z
    .object({ NODE_ENV: z.string(), JWT_SECRET: z.string().default(DEVELOPMENT_JWT_SECRET), ...payloadKeyConfigShape })
    .superRefine(refuseDevelopmentSecrets);

  it('are taken outside production', () => {
    expect(schema.parse({ NODE_ENV: 'development' }).PAYLOAD_ENCRYPTION_KEY).toBe(DEVELOPMENT_PAYLOAD_KEY);
  });

  it('are refused in production, each by name', () => {
    const result = schema.safeParse({ NODE_ENV: 'production' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['JWT_SECRET', 'PAYLOAD_ENCRYPTION_KEY']);
    expect(schema.safeParse({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), PAYLOAD_ENCRYPTION_KEY: KEY }).success).toBe(true);
  });

  it('include a short key, which is refused everywhere', () => {
    expect(schema.safeParse({ NODE_ENV: 'development', PAYLOAD_ENCRYPTION_KEY: 'short' }).success).toBe(false);
  });
});
