import { withTimeout } from './metrics';

export interface HealthProbe {
  name: string;
  check(): Promise<unknown>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/**
 * Readiness: the app has started, is not shutting down, and every probe (Postgres, Redis) answers within its
 * timeout. Results are cached briefly so that frequent probes do not load the databases.
 */
export class Readiness {
  private started = false;
  private stopping = false;
  private cached?: { at: number; report: ReadinessReport };

  constructor(
    private readonly probes: HealthProbe[],
    private readonly options: { timeoutMs?: number; cacheMs?: number } = {},
  ) {}

  markStarted(): void {
    this.started = true;
  }

  markStopping(): void {
    this.stopping = true;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  async probe(): Promise<ReadinessReport> {
    const timeoutMs = this.options.timeoutMs ?? 1000;
    const results = await Promise.all(
      this.probes.map(async (probe) => {
        try {
          await withTimeout(probe.check(), timeoutMs);
          return [probe.name, { ok: true }] as const;
        } catch (error) {
          return [probe.name, { ok: false, error: (error as Error).message }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    return { ready: results.every(([, r]) => r.ok), checks };
  }

  async report(): Promise<ReadinessReport> {
    if (!this.started || this.stopping) {
      return { ready: false, checks: { lifecycle: { ok: false, error: this.stopping ? 'shutting down' : 'starting' } } };
    }
    const now = Date.now();
    if (this.cached && now - this.cached.at < (this.options.cacheMs ?? 1000)) return this.cached.report;
    const report = await this.probe();
    this.cached = { at: now, report };
    return report;
  }
}
