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
    const sealed = await sealer.seal(body);
    expect(sealed.split('.')).toHaveLength(5);
    for (const part of ['sourdough', '4155550100', KEY]) expect(sealed).not.toContain(part);
    expect(Buffer.from(await sealer.open(sealed)).equals(body)).toBe(true);
    // A fresh nonce each time: the same body never seals the same way twice.
    expect(await sealer.seal(body)).not.toBe(sealed);
  });

  it('names its key by an id that is stable, differs per key and is not the key', () => {
    expect(new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: KEY }).keyId).toBe(sealer.keyId);
    expect(new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: OLD }).keyId).not.toBe(sealer.keyId);
    expect(KEY).not.toContain(sealer.keyId);
  });

  it('opens what the previous key sealed after a rotation, and seals with the new one', async () => {
    const before = await new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: OLD }).seal(body);
    const rotated = new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: KEY, PAYLOAD_ENCRYPTION_KEY_PREVIOUS: OLD });
    expect(Buffer.from(await rotated.open(before)).equals(body)).toBe(true);
    expect(Buffer.from(await sealer.open(await rotated.seal(body))).equals(body)).toBe(true);
    await expect(sealer.open(before)).rejects.toThrow(SealedPayloadError);
  });

  it('refuses an unknown key, a changed ciphertext and what is not a JWE, each with a reason', async () => {
    const foreign = new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: OLD });
    await expect(sealer.open(await foreign.seal(body))).rejects.toThrow(`sealed with key ${foreign.keyId}, which this process does not hold`);

    const parts = (await sealer.seal(body)).split('.');
    const ciphertext = Buffer.from(parts[3] as string, 'base64url');
    ciphertext[0] = (ciphertext[0] as number) ^ 1;
    parts[3] = ciphertext.toString('base64url');
    await expect(sealer.open(parts.join('.'))).rejects.toThrow(/does not open with key .*: it was changed/);

    await expect(sealer.open('not a jwe')).rejects.toThrow('not a compact JWE');
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
