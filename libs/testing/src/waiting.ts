import { setTimeout as pause } from 'node:timers/promises';

/**
 * A pause for tests and scripts. Unlike the platform's `sleep`, whose timer never holds a stopping service
 * open, this one keeps the process alive: a script waiting between two polls must not exit in the gap.
 */
export function sleep(ms: number): Promise<void> {
  return pause(ms);
}

type Falsy = false | 0 | '' | null | undefined;

/**
 * Polls until the check returns a truthy value, and resolves with it; fails with the description (and the check's
 * last error) after the timeout. A check that throws is tried again: the thing waited for may not answer yet.
 */
export async function waitFor<T>(
  check: () => Promise<T | Falsy> | T | Falsy,
  description: string,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${description}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}
