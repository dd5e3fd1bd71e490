import type { Logger } from 'pino';

/** A started app: what `npm start`, tests and each app's own entry point hold on to. */
export interface AppHandle {
  name: string;
  /** The bound HTTP port. */
  port: number;
  /** The bound port of `GET /metrics`, when the app serves it. */
  metricsPort?: number;
  /** Resolves once the app has reached ready for the first time. */
  ready: Promise<void>;
  /** Stops taking work, finishes or returns what is running, and releases every connection within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Runs `run` with a signal that aborts (as a `TimeoutError`) after `timeoutMs`, or when `outer` aborts. The timer
 * holds the controller, so the deadline cannot be lost to garbage collection as an `AbortSignal.timeout` combined
 * through `AbortSignal.any` can be; it is cleared as soon as `run` settles.
 */
export async function withDeadline<T>(timeoutMs: number, outer: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  try {
    return await run(controller.signal);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', forward);
  }
}

/** A pause whose timer does not hold the process open: a service that is stopping never waits on one. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * The entry point of a process: starts the apps, then on SIGTERM or SIGINT stops them inside the deadline and
 * exits 0 (1 if stopping failed or overran). A crash is logged and exits 1.
 */
export function runMain(options: { logger: Logger; timeoutMs: number; start: () => Promise<AppHandle[]> }): void {
  const { logger, timeoutMs } = options;
  let handles: AppHandle[] = [];
  let stopping = false;

  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    // A hard stop one second after the deadline, should anything ignore it.
    setTimeout(() => {
      logger.error('shutdown overran its deadline');
      process.exit(1);
    }, timeoutMs + 1000).unref();
    const results = await Promise.allSettled(handles.map((handle) => handle.stop(timeoutMs)));
    const failed = results.filter((r) => r.status === 'rejected');
    for (const failure of failed) logger.error({ err: (failure as PromiseRejectedResult).reason }, 'stop failed');
    logger.info('stopped');
    process.exit(failed.length ? 1 : 0);
  };

  // Handlers stay installed: a second signal (an impatient Ctrl-C, a supervisor repeating SIGTERM) must not
  // cut the clean stop short; the hard deadline still applies.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });

  options
    .start()
    .then((started) => {
      handles = started;
      if (stopping) void Promise.allSettled(started.map((h) => h.stop(timeoutMs)));
    })
    .catch((error) => {
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    });
}
