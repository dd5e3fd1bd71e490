/**
 * At most `limit` tasks at once, in arrival order. A task whose signal is aborted while it waits is not started
 * (it rejects with the signal's reason). p-limit does this too but is ESM-only; this is all we need of it.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.running >= this.limit) await this.turn(signal);
    else this.running += 1;
    try {
      signal?.throwIfAborted();
      return await task();
    } finally {
      this.release();
    }
  }

  private turn(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', abandon);
        resolve();
      };
      const abandon = () => {
        const index = this.waiting.indexOf(start);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      if (signal?.aborted) return abandon();
      signal?.addEventListener('abort', abandon, { once: true });
      this.waiting.push(start);
    });
  }

  private release() {
    const next = this.waiting.shift();
    // The slot passes straight to the next task; the count only drops when nobody waits.
    if (next) next();
    else this.running -= 1;
  }
}
