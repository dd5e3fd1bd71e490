import { hash, verify } from '@node-rs/argon2';
import { AuthError, validationFailed } from './errors';

/**
 * Passwords are hashed with Argon2id (memory-hard) through @node-rs/argon2, with its defaults: 19 MiB, two
 * passes, one lane, the OWASP minimum. Verification of an unknown account still spends the same work, so
 * timing does not tell whether an email is registered.
 */
let dummyHash: Promise<string> | undefined;

export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  try {
    dummyHash ??= hash('a password no account has');
    return await verify(stored ?? (await dummyHash), password);
  } catch {
    return false;
  }
}

/** GoTrue's rules: at least the minimum length (422 weak_password), at most 72 characters (400). */
export function checkPasswordStrength(password: string, minLength: number): void {
  if (password.length > 72) throw validationFailed('Password cannot be longer than 72 characters');
  if (password.length < minLength) {
    throw new AuthError(422, 'weak_password', `Password should be at least ${minLength} characters.`, {
      weak_password: { reasons: ['length'] },
    });
  }
}
